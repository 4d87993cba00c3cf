package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.RunSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kplane bench jmh [REGEX...]}: JMH with sensible settings, results saved in a run directory. */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = {"Runs JMH benchmarks from benchmarks.jar with the project's JVM flags and saves the JSON",
                "results, a log and a report in reports/out/<timestamp>-jmh/.",
                "Defaults: 3 forks x (3 x 2 s warm-up + 5 x 2 s), enough for errors under ~10% on a quiet machine."})
final class JmhCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REGEX", arity = "0..*", description = "Benchmarks to run (JMH include regexes); all when none.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--quick", description = "Smoke settings: 1 fork x (1 x 1 s warm-up + 3 x 1 s).")
    boolean quick;

    @Option(names = {"-l", "--list"}, description = "List the matching benchmarks and exit.")
    boolean list;

    @Option(names = "-f", paramLabel = "N", description = "Forks.") Integer forks;
    @Option(names = "-wi", paramLabel = "N", description = "Warm-up iterations.") Integer warmupIterations;
    @Option(names = "-w", paramLabel = "TIME", description = "Warm-up iteration time, e.g. 2s.") String warmupTime;
    @Option(names = "-i", paramLabel = "N", description = "Measured iterations.") Integer iterations;
    @Option(names = "-r", paramLabel = "TIME", description = "Measured iteration time, e.g. 2s.") String iterationTime;

    @Option(names = "--prof", paramLabel = "PROFILER", description = "JMH profiler, e.g. gc (allocation per op).")
    List<String> profilers = new ArrayList<>();

    @Option(names = "--jmh-arg", paramLabel = "ARG", description = "Extra argument passed to JMH as is (repeatable).")
    List<String> extra = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Parent of the run directory (default: reports/out).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (list) {
            JmhRun.list(includes).forEach(System.out::println);
            return 0;
        }
        JmhSettings base = quick ? JmhSettings.smoke() : JmhSettings.full();
        JmhSettings s = new JmhSettings(forks != null ? forks : base.forks(),
                warmupIterations != null ? warmupIterations : base.warmupIterations(),
                warmupTime != null ? warmupTime : base.warmupTime(),
                iterations != null ? iterations : base.iterations(),
                iterationTime != null ? iterationTime : base.iterationTime(), profilers);
        Instant started = Instant.now();
        Path dir = RunDirectory.create(out == null ? RunDirectory.outRoot() : out, "jmh");
        EnvironmentProbe.write(dir, RunDirectory.home());
        AreaResult r = JmhStep.run(dir, "run", includes, s, extra, System.err);
        RunSummary summary = RunOutput.finish(dir, "jmh", "kplane bench jmh " + String.join(" ", includes), started,
                quick, List.of(r), System.out);
        return RunOutput.exitCode(summary);
    }
}
