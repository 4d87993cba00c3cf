package io.kplane.check.torture;

import picocli.CommandLine.Command;

/** {@code kplane torture}: fault-injection runs whose histories are checked. */
@Command(name = "torture", mixinStandardHelpOptions = true,
        description = {"Fault-injection runs with checked histories.",
                "'torture store' runs a store cluster under faults and checks linearizability, watch streams and",
                "that no acknowledged write is lost."},
        subcommands = StoreTortureCommand.class)
public final class TortureCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
