package io.kplane.bench;

import io.kplane.cli.KplaneSubcommand;

/** Registers {@code kplane bench} with the CLI. */
public final class BenchSubcommand implements KplaneSubcommand {

    @Override
    public Object command() {
        return BenchCommand.commandLine();
    }

    @Override
    public int order() {
        return 60;
    }
}
