package io.kplane.bench.wal;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link WalSyncBenchmark} and prints, per batch size, the WAL's durable batches/s and
 * entries/s, the ratio to the {@code fdatasync} floor measured in the same run, and Chronicle
 * Queue's figures beside them.
 *
 * <pre>java $(cat impl/target/classes/io/kplane/cli/jvm.flags) -cp bench/target/benchmarks.jar \
 *     io.kplane.bench.wal.WalSyncReport [--quick]</pre>
 */
public final class WalSyncReport {

    private WalSyncReport() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        ChainedOptionsBuilder o = new OptionsBuilder().include(WalSyncBenchmark.class.getName() + "\\.")
                .jvmArgsAppend(io.kplane.bench.JmhRun.jvmFlags().toArray(String[]::new));
        if (quick) {
            o.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        Map<Integer, double[]> byBatch = new TreeMap<>(); // floor, wal, chronicle (ops/s); errors
        double floorSum = 0;
        int floorCount = 0;
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            int batch = Integer.parseInt(r.getParams().getParam("batch"));
            double score = r.getPrimaryResult().getScore();
            double[] row = byBatch.computeIfAbsent(batch, b -> new double[3]);
            switch (method) {
                case "fdatasyncFloor" -> {
                    row[0] = score;
                    floorSum += score;
                    floorCount++;
                }
                case "walAppendSync" -> row[1] = score;
                case "chronicleAppendSync" -> row[2] = score;
                default -> { }
            }
        }
        double floor = floorSum / Math.max(1, floorCount);
        System.out.printf("%nfdatasync floor (4 KiB write + force(false), preallocated): %.0f syncs/s (mean over %d runs)%n",
                floor, floorCount);
        System.out.printf("%6s %14s %14s %10s %16s %14s%n", "batch", "WAL batches/s", "WAL entries/s",
                "WAL/floor", "Chronicle ent/s", "WAL/Chronicle");
        for (Map.Entry<Integer, double[]> e : byBatch.entrySet()) {
            int b = e.getKey();
            double[] r = e.getValue();
            System.out.printf("%6d %14.0f %14.0f %10.2f %16.0f %14.2f%n", b, r[1], r[1] * b, r[1] / floor, r[2] * b,
                    r[2] == 0 ? Double.NaN : r[1] / r[2]);
        }
        System.out.println("durability: fsync (fdatasync per batch) for all rows");
    }
}
