package io.kplane.check;

import io.kplane.cli.KplaneSubcommand;

/** Registers {@code kplane check} with the CLI. */
public final class CheckSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new CheckCommand();
    }

    @Override
    public int order() {
        return 60;
    }
}
