package io.kplane.cli;

/** Registers {@code kplane diagnose} with the CLI. */
public final class DiagnoseSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new DiagnoseCommand());
    }

    @Override
    public int order() {
        return 12;
    }
}
