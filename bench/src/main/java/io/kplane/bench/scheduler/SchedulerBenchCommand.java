package io.kplane.bench.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane bench scheduler [--quick]}: the scheduler_perf workloads on the in-memory cluster,
 * printing pods/s, the ratio to the upstream threshold (target ≥ 10×), attempt-latency
 * percentiles, and the invariant checks after each workload.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Scheduler throughput on the scheduler_perf workloads vs. upstream thresholds (target >= 10x).")
public final class SchedulerBenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "One tenth of the nodes and pods (500 nodes).")
    boolean quick;

    @Option(names = "--workload", split = ",", description = "Only these workloads (comma-separated names).")
    List<String> workloads;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the scheduler's random source.")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", description = "Runs per workload; the median is reported.")
    int repeat;

    @Override
    public Integer call() throws Exception {
        List<SchedulerBenchmark.Result> results = runAll();
        return results.stream().allMatch(r -> r.violations().isEmpty()) ? 0 : 1;
    }

    List<SchedulerBenchmark.Result> runAll() throws InterruptedException {
        int scale = quick ? 10 : 1;
        List<Workload> selected = SchedulerBenchmark.select(Workload.all(scale), workloads);
        System.out.printf("scheduler benchmark (%s): %d workload(s), JVM %s, %d CPUs%n", quick ? "quick" : "full",
                selected.size(), Runtime.version(), Runtime.getRuntime().availableProcessors());
        // Warm-up: a short SchedulingBasic so the JIT has compiled the hot path.
        SchedulerBenchmark.run(Workload.all(50).get(0), seed, m -> {});
        List<SchedulerBenchmark.Result> out = new ArrayList<>();
        for (Workload w : selected) {
            List<SchedulerBenchmark.Result> runs = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                runs.add(SchedulerBenchmark.run(w, seed + r, System.out::println));
            }
            runs.sort((a, b) -> Double.compare(a.podsPerSecond(), b.podsPerSecond()));
            SchedulerBenchmark.Result m = runs.get(runs.size() / 2);
            out.add(m);
            print(m);
        }
        System.out.println();
        System.out.printf("%-28s %6s %7s %10s %9s %7s %12s %8s %9s %9s %s%n", "workload", "nodes", "pods", "pods/s",
                "threshold", "ratio", "pods/cpu-s", "ratio", "p50 µs", "p99 µs", "invariants");
        for (SchedulerBenchmark.Result r : out) {
            System.out.printf("%-28s %6d %7d %10.0f %9.0f %6.1fx %12.0f %7.1fx %9.1f %9.1f %s%n", r.workload(), r.nodes(),
                    r.measuredPods(), r.podsPerSecond(), r.threshold(), r.ratio(), r.podsPerCpuSecond(),
                    r.podsPerCpuSecond() / r.threshold(),
                    r.attemptLatencyNanos().getValueAtPercentile(50) / 1e3,
                    r.attemptLatencyNanos().getValueAtPercentile(99) / 1e3,
                    r.violations().isEmpty() ? "ok" : r.violations().size() + " VIOLATIONS");
        }
        return out;
    }

    static void print(SchedulerBenchmark.Result r) {
        var h = r.attemptLatencyNanos();
        System.out.printf("%s: %d nodes, %d init + %d measured pods in %.3f s -> %.0f pods/s = %.1fx threshold %.0f"
                        + " (%s 10x); scheduler thread CPU %.3f s (%.0f pods/cpu-s), API thread CPU %.3f s; attempts %d, latency µs p50 %.1f p90 %.1f p99 %.1f max %.1f%s; invariants %s%n",
                r.workload(), r.nodes(), r.initPods(), r.measuredPods(), r.seconds(), r.podsPerSecond(), r.ratio(),
                r.threshold(), r.ratio() >= 10 ? "meets" : "BELOW", r.schedulerCpuSeconds(), r.podsPerCpuSecond(),
                r.apiCpuSeconds(), r.attempts(), h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3,
                r.churnOps() > 0 ? ", churn ops " + r.churnOps() : "",
                r.violations().isEmpty() ? "ok" : "VIOLATED: " + r.violations().subList(0, Math.min(5, r.violations().size())));
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new SchedulerBenchCommand()).execute(args));
    }
}
