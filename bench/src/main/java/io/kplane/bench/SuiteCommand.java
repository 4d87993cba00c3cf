package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane suite [--quick]}: the model checks, every registered bench area, the JMH smoke
 * set, then one report {@code reports/out/<timestamp>/index.html} and its front page on the terminal.
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"The main job: model checks, every benchmark area and JMH smoke set, one report.",
                "Runs the model checks (bounded), every benchmark area and the JMH smoke set, then writes one",
                "report reports/out/<timestamp>/index.html whose front page (also printed here) shows per area",
                "the headline figure, its anchor and the ratio.",
                "--quick takes about 2-10 minutes on a 2-core machine depending on the areas built; the full",
                "suite takes roughly 5x longer plus ~1 minute per JMH benchmark (3 forks x 8 x 2 s)."})
final class SuiteCommand implements Callable<Integer> {

    /** The model checks' area name; it runs first when registered. */
    static final String CHECK_AREA = "check";

    /**
     * Areas the project plans (DESIGN.md, issue tracker). Listed on the front page as "not built
     * yet" until they register, so that the report never suggests they were measured.
     */
    static final List<String> PLANNED = List.of(CHECK_AREA, "store", "scheduler", "proxy");

    @Option(names = "--quick", description = "Quick variant of every area and the JMH smoke set (< 10 minutes).")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "AREA", description = "Run only these areas (and jmh if listed).")
    Set<String> only;

    @Option(names = "--skip", split = ",", paramLabel = "AREA", description = "Skip these areas (jmh included).")
    Set<String> skip = Set.of();

    @Option(names = "--area-timeout", paramLabel = "DURATION",
            description = "Give up on an area after this long (ISO-8601, e.g. PT5M; default 4 minutes quick, 60 full).")
    Duration areaTimeout;

    @Option(names = "--out", paramLabel = "DIR", description = "Parent of the run directory (default: reports/out).")
    Path out;

    /** The areas to run; {@code null} means every area on the class path. */
    private final List<BenchArea> areas;

    SuiteCommand() {
        this(null);
    }

    /** A suite over the given areas instead of the discovered ones (tests). */
    SuiteCommand(List<BenchArea> areas) {
        this.areas = areas;
    }

    @Override
    public Integer call() {
        Instant started = Instant.now();
        Path dir = RunDirectory.create(out == null ? RunDirectory.outRoot() : out, "");
        System.err.println("kplane suite" + (quick ? " --quick" : "") + ": results in " + dir);
        EnvironmentProbe.write(dir, RunDirectory.home());

        List<BenchArea> areas = this.areas != null ? this.areas : BenchArea.all();
        Set<String> registered = new java.util.HashSet<>();
        areas.forEach(a -> registered.add(a.name()));
        List<AreaResult> results = new ArrayList<>();
        for (String planned : PLANNED) {
            if (!registered.contains(planned) && wanted(planned)) {
                String what = planned.equals(CHECK_AREA) ? "model checks" : planned + " benchmark";
                String why = "not built yet: no `" + planned + "` area is registered in this build, so nothing was measured";
                if (topLevelCommands().contains(planned)) {
                    why = "`kplane " + planned + "` exists but registers no suite step (a BenchArea named \"" + planned
                            + "\"), so the suite did not run it; run `kplane " + planned + "` yourself";
                }
                results.add(AreaResult.skipped(planned, what, why));
            }
        }
        List<BenchArea> toRun = areas.stream().filter(a -> wanted(a.name())).toList();
        // `kplane check` without a registered suite step still belongs in the suite: run it as a
        // bounded child process (replaces its "registers no suite step" row).
        boolean checkByCommand = !registered.contains(CHECK_AREA) && wanted(CHECK_AREA) && this.areas == null
                && topLevelCommands().contains(CHECK_AREA);
        int steps = toRun.size() + (wanted(JmhStep.AREA) ? 1 : 0) + (checkByCommand ? 1 : 0);
        int step = 0;
        if (checkByCommand) {
            System.err.printf("%n[%d/%d] check%n", ++step, steps);
            results.removeIf(r -> r.area().equals(CHECK_AREA));
            results.add(0, CheckCommandStep.run(dir, quick,
                    areaTimeout != null ? areaTimeout : quick ? Duration.ofMinutes(4) : Duration.ofMinutes(60), System.err));
        }
        for (BenchArea a : toRun) {
            System.err.printf("%n[%d/%d] %s%n", ++step, steps, a.name());
            try {
                results.add(AreaRunner.run(a, dir, quick, new LinkedHashMap<>(), System.err,
                        areaTimeout != null ? areaTimeout : quick ? Duration.ofMinutes(4) : Duration.ofMinutes(60)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (wanted(JmhStep.AREA)) {
            System.err.printf("%n[%d/%d] jmh%n", ++step, steps);
            results.add(quick ? JmhStep.smoke(dir, areas, 120, System.err)
                    : JmhStep.run(dir, "all", List.of(), JmhSettings.full(), List.of(), System.err));
        }
        RunSummary s = RunOutput.finish(dir, "suite", "kplane suite" + (quick ? " --quick" : ""), started, quick,
                results, System.out);
        return RunOutput.exitCode(s);
    }

    /** Names of the top-level kplane commands in this build. */
    private static Set<String> topLevelCommands() {
        Set<String> names = new java.util.HashSet<>();
        for (io.kplane.cli.KplaneSubcommand sub : java.util.ServiceLoader.load(io.kplane.cli.KplaneSubcommand.class)) {
            if (sub instanceof SuiteSubcommand) {
                continue; // this command itself
            }
            Object cmd = sub.command();
            picocli.CommandLine cl = cmd instanceof picocli.CommandLine c ? c : new picocli.CommandLine(cmd);
            names.add(cl.getCommandName());
        }
        return names;
    }

    private boolean wanted(String area) {
        return (only == null || only.contains(area)) && !skip.contains(area);
    }
}
