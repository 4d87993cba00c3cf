package io.kplane.cli;

/** Registers {@code kplane demo} with the CLI. */
public final class DemoSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new DemoCommand());
    }

    @Override
    public int order() {
        return 11;
    }
}
