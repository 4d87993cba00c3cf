package io.kplane.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kplane bench}: the parent of one subcommand per {@link BenchArea} plus {@code jmh}.
 * Without a subcommand it prints what is available.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "AREA",
        description = {"Runs one benchmark area, or JMH (kplane bench jmh [REGEX]).",
                "Each area writes a run directory reports/out/<timestamp>-<area>/ with",
                "summary.json, .hlog interval logs, env.json, index.html and summary.md.",
                "Areas are discovered; `kplane suite` runs all of them (quick) plus the JMH smoke set."})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The command with every discovered area attached. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.addSubcommand("jmh", new JmhCommand());
        for (BenchArea area : BenchArea.all()) {
            CommandLine sub = new CommandLine(new AreaCommand(area));
            sub.getCommandSpec().usageMessage().description(area.title(),
                    "Writes reports/out/<timestamp>-" + area.name() + "/ and its report.");
            cl.addSubcommand(area.name(), sub);
        }
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
