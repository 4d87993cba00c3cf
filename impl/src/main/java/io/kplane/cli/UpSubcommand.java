package io.kplane.cli;

/** Registers {@code kplane up} with the CLI. */
public final class UpSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new UpCommand());
    }

    @Override
    public int order() {
        return 10;
    }
}
