package io.kplane.check.torture;

import io.kplane.cli.KplaneSubcommand;

/** Registers {@code kplane torture} with the CLI. */
public final class TortureSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new TortureCommand();
    }

    @Override
    public int order() {
        return 61;
    }
}
