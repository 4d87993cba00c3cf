package io.kplane.cli;

/** Registers {@code kplane controller-manager} with the CLI. */
public final class ControllerManagerSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new ControllerManagerCommand());
    }

    @Override
    public int order() {
        return 30;
    }
}
