package io.kplane.reports;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a run directory the way the harness does (summary.json, env.json, .hlog written with
 * HdrHistogram's own log writer, JMH JSON in JMH's format), with latencies drawn from a known
 * distribution scaled by {@code slowdown}, for report and comparison tests.
 */
final class SampleRun {

    private SampleRun() {}

    static Path write(Path dir, double slowdown, long seed) throws Exception {
        Files.createDirectories(dir);
        List<WorkloadResult> workloads = new ArrayList<>();
        workloads.add(workload(dir, "kplane", 1.0 * slowdown, seed));
        workloads.add(workload(dir, "etcd-3.4", 2.5, seed + 1));
        Headline h = Headline.of("store", "put throughput at 1000/s", workloads.get(0).throughput(), "ops/s", true)
                .against(Anchors.measured("etcd 3.4, this machine", workloads.get(1).throughput(), "ops/s"))
                .withNoise(0.02);
        Headline p99 = Headline.of("store", "put p99", workloads.get(0).latency().p99Us() / 1e3, "ms", false)
                .against(Anchors.ETCD_WRITES_1_CLIENT_LATENCY);
        AreaResult store = new AreaResult("store", "etcd v3 API puts vs etcd 3.4", AreaResult.Status.OK, null,
                List.of(h, p99), workloads, List.of(), List.of("a note for the reader"), 30);
        Files.writeString(dir.resolve("jmh-smoke.json"), jmhJson(120.0 * slowdown, 2.0));
        AreaResult jmh = new AreaResult("jmh", "JMH micro-benchmarks", AreaResult.Status.OK, "1 JMH results", List.of(),
                List.of(), List.of("jmh-smoke.json"), List.of(), 10);
        AreaResult check = AreaResult.skipped("check", "model checks", "not built yet: no `check` area is registered");
        RunFiles.writeSummary(dir, new RunSummary(RunSummary.SCHEMA, "suite", "kplane suite --quick",
                "2026-11-26T00:00:00Z", 60, true, List.of(check, store, jmh)));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpuModel", "Test CPU");
        env.put("cores", 2);
        env.put("gitCommit", "0123456789abcdef");
        RunFiles.write(dir.resolve(RunFiles.ENV), env);
        return dir;
    }

    /** 10 one-second intervals of 1000 requests, exponential latencies with mean 2 ms x scale. */
    private static WorkloadResult workload(Path dir, String system, double scale, long seed) throws Exception {
        String hlog = "store-put-" + system + ".hlog";
        SplittableRandom r = new SplittableRandom(seed);
        Histogram total = new Histogram(3);
        long base = 1_764_115_200_000L;
        try (PrintStream out = new PrintStream(dir.resolve(hlog).toFile())) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputLogFormatVersion();
            w.setBaseTime(base);
            w.outputStartTime(base);
            w.outputBaseTime(base);
            w.outputLegend();
            for (int i = 0; i < 10; i++) {
                Histogram h = new Histogram(3);
                int n = 1000 - (system.startsWith("etcd") ? 300 : 0);
                for (int k = 0; k < n; k++) {
                    h.recordValue((long) (-Math.log(1 - r.nextDouble()) * 2_000_000 * scale) + 50_000);
                }
                h.setStartTimeStamp(base + i * 1000L);
                h.setEndTimeStamp(base + (i + 1) * 1000L);
                w.outputIntervalHistogram(h);
                total.add(h);
            }
        }
        return new WorkloadResult("store", "put", system, "open", Map.of("valueBytes", 256), "fsync", 1000, 256, 10,
                total.getTotalCount(), 0, total.getTotalCount() / 10.0, Latency.ofNanos(total), 0.01, 0.05, hlog, 0.1,
                0.5, null);
    }

    private static String jmhJson(double score, double error) {
        return """
                [ { "jmhVersion" : "1.37", "benchmark" : "io.kplane.bench.rig.RecorderBenchmark.recorderRecord",
                    "mode" : "avgt", "threads" : 1, "forks" : 1, "measurementIterations" : 3,
                    "params" : { "values" : "10000" },
                    "primaryMetric" : { "score" : %s, "scoreError" : %s, "scoreUnit" : "ns/op" } } ]
                """.formatted(score, error);
    }
}
