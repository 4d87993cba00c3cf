package io.kplane.cli;

/** Registers {@code kplane kubelet} with the CLI. */
public final class KubeletSubcommand implements KplaneSubcommand {
    @Override
    public Object command() {
        return new picocli.CommandLine(new KubeletCommand());
    }

    @Override
    public int order() {
        return 35;
    }
}
