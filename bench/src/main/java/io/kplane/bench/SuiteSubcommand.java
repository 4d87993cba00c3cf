package io.kplane.bench;

import io.kplane.cli.KplaneSubcommand;

/** Registers {@code kplane suite} with the CLI. */
public final class SuiteSubcommand implements KplaneSubcommand {

    @Override
    public Object command() {
        return new SuiteCommand();
    }

    @Override
    public int order() {
        return 5;
    }
}
