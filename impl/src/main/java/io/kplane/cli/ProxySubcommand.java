package io.kplane.cli;

/** Registers {@code kplane proxy} with the CLI. */
public final class ProxySubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new ProxyCommand());
    }

    @Override
    public int order() {
        return 45;
    }
}
