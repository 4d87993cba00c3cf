package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.RunSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane bench <area> [--quick] [-p key=value]...}: one area in its own run directory. */
@Command(mixinStandardHelpOptions = true)
final class AreaCommand implements Callable<Integer> {

    private final BenchArea area;

    @Option(names = "--quick", description = "The suite's short variant (about a minute).")
    boolean quick;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "Area parameter, e.g. -p duration=60s -p rate=2000 (see the area's documentation).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--compare", paramLabel = "PEER",
            description = "Peer system to run beside kplane in the same run, e.g. etcd (same as -p compare=PEER; "
                    + "'none' for kplane alone). Areas without peers ignore it.")
    String compare;

    @Option(names = "--e2e", description = "End to end through the real API server where the area has such a variant "
            + "(scheduler: nodes and pods created through the API, bound through pods/binding); same as -p e2e=true.")
    boolean e2e;

    @Option(names = "--out", paramLabel = "DIR", description = "Parent of the run directory (default: reports/out).")
    Path out;

    AreaCommand(BenchArea area) {
        this.area = area;
    }

    @Override
    public Integer call() {
        Instant started = Instant.now();
        if (e2e) {
            params.put("e2e", "true");
        }
        if (compare != null) {
            params.put("compare", compare);
        }
        Path dir = RunDirectory.create(out == null ? RunDirectory.outRoot() : out, area.name());
        EnvironmentProbe.write(dir, RunDirectory.home());
        AreaResult r = AreaRunner.run(area, dir, quick, params, System.err);
        String cmd = "kplane bench " + area.name() + (quick ? " --quick" : "") + params.entrySet().stream()
                .map(e -> " -p " + e.getKey() + "=" + e.getValue()).reduce("", String::concat);
        RunSummary s = RunOutput.finish(dir, "bench", cmd, started, quick, List.of(r), System.out);
        return RunOutput.exitCode(s);
    }
}
