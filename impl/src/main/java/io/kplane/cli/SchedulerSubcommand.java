package io.kplane.cli;

/** Registers {@code kplane scheduler} with the CLI. */
public final class SchedulerSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new SchedulerCommand());
    }

    @Override
    public int order() {
        return 40;
    }
}
