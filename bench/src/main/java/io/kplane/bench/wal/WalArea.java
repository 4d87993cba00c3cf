package io.kplane.bench.wal;

import io.kplane.bench.BenchArea;
import io.kplane.bench.JmhRun;
import io.kplane.bench.JmhSettings;
import io.kplane.bench.RunContext;
import io.kplane.reports.Anchors;
import io.kplane.reports.JmhResults;
import io.kplane.reports.JmhScore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code kplane bench wal}: the write-ahead log's fsync'd group commit against the disk's
 * {@code fdatasync} floor measured in the same run ({@link WalSyncBenchmark}), Chronicle Queue
 * beside it, and the Raft core's step throughput through a 3-node in-memory cluster
 * ({@link io.kplane.bench.raft.RaftCoreBenchmark}).
 *
 * <p>Parameters: {@code -p batches=1,8,64,256,1024 -p dir=/path/on/the/disk/to/measure}.
 */
public final class WalArea implements BenchArea {

    @Override
    public String name() {
        return "wal";
    }

    @Override
    public String title() {
        return "WAL group commit vs the disk's fdatasync floor; Raft core step throughput (3 nodes, in memory)";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<String> jmhSmoke() {
        return List.of("io\\.kplane\\.bench\\.raft\\.RaftCoreBenchmark\\.proposeBatch");
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        List<Integer> batches = java.util.Arrays.stream(ctx.param("batches", ctx.quickOr("1,64,1024", "1,8,64,256,1024"))
                .split(",")).map(String::trim).map(Integer::parseInt).toList();
        int rounds = ctx.param("rounds", ctx.quickOr(8, 20));
        java.time.Duration slice = ctx.param("slice", ctx.quickOr(java.time.Duration.ofMillis(250),
                java.time.Duration.ofMillis(500)));
        String dir = ctx.param("dir", System.getProperty("java.io.tmpdir"));

        // 1. WAL vs floor, interleaved (robust on a shared disk).
        for (int batch : batches) {
            ctx.log().printf("  wal: batch %d, %d interleaved rounds of %d ms (floor, WAL)...%n", batch, rounds,
                    slice.toMillis());
            InterleavedSyncProbe.Result r = InterleavedSyncProbe.measure(Path.of(dir), batch, 256, slice, rounds);
            ctx.headline(ctx.measured("WAL group commits/s, batch " + batch + " x 256 B, fsync", r.walPerSec(),
                            "syncs/s", true)
                    .against(Anchors.measured("4 KiB fdatasync/s, same disk, interleaved", r.floorPerSec(), "syncs/s"))
                    .withNoise((r.ratioP75() - r.ratioP25()) / Math.max(1e-9, r.ratio()))
                    .withNote(String.format("%,.0f entries/s; median of per-round ratios %.2f (IQR %.2f-%.2f), %d rounds",
                            r.walEntriesPerSec(), r.ratio(), r.ratioP25(), r.ratioP75(), r.rounds())));
            ctx.log().printf("  wal: batch %d: floor %,.0f syncs/s, WAL %,.0f batches/s = %,.0f entries/s, ratio %.2f%n",
                    batch, r.floorPerSec(), r.walPerSec(), r.walEntriesPerSec(), r.ratio());
        }
        ctx.note("durability: fdatasync (FileChannel.force(false)) per group commit in every WAL row; "
                + "floor = 4 KiB write + fdatasync on a preallocated file, alternating with the WAL in slices of "
                + slice.toMillis() + " ms");

        // 2. Raft core step throughput (and, in the full run, Chronicle Queue beside the WAL) with JMH.
        JmhSettings settings = ctx.quickOr(new JmhSettings(1, 1, "1s", 3, "1s", List.of()),
                new JmhSettings(2, 2, "2s", 5, "2s", List.of()));
        List<String> includes = ctx.quick()
                ? List.of("io\\.kplane\\.bench\\.raft\\.RaftCoreBenchmark\\.")
                : List.of("io\\.kplane\\.bench\\.raft\\.RaftCoreBenchmark\\.",
                        "io\\.kplane\\.bench\\.wal\\.WalSyncBenchmark\\.chronicleAppendSync");
        List<String> extra = List.of("-p", "batch=" + String.join(",", batches.stream().map(String::valueOf).toList()),
                "-p", "dir=" + dir);
        Optional<Path> json = JmhRun.run(ctx.dir(), "wal", includes, settings, extra, ctx.log());
        if (json.isEmpty()) {
            throw new IllegalStateException("JMH failed; see jmh-wal.log in " + ctx.dir());
        }
        ctx.jmhFile(json.get());
        for (JmhScore s : JmhResults.read(json.get())) {
            String method = s.benchmark().substring(s.benchmark().lastIndexOf('.') + 1);
            double noise = s.relativeError() == null ? 0 : s.relativeError();
            if (s.benchmark().contains("RaftCoreBenchmark")) {
                ctx.headline(ctx.measured("Raft core, 3 nodes in memory, " + (method.contains("Batch")
                                        ? "64 entries per round" : "1 entry per round") + ", 256 B",
                                s.score(), "entries/s", true)
                        .withNoise(noise)
                        .withNote("no disk, no network: the protocol's own cost on one thread"));
            } else if (method.equals("chronicleAppendSync")) {
                int batch = Integer.parseInt(s.params().get("batch"));
                ctx.note(String.format("Chronicle Queue 2026.4 (SyncMode.SYNC), batch %d: %,.0f syncs/s = %,.0f entries/s (JMH, +-%.0f%%)",
                        batch, s.score(), s.score() * batch, noise * 100));
            }
        }
        ctx.message("WAL group commit vs the disk's own fdatasync rate, measured interleaved in this run");
    }
}
