package io.kplane.bench.store;

import com.google.protobuf.ByteString;
import io.kplane.bench.AsyncOperation;
import io.kplane.bench.BenchArea;
import io.kplane.bench.LoadSpec;
import io.kplane.bench.RunContext;
import io.kplane.reports.Anchor;
import io.kplane.reports.Anchors;
import io.kplane.reports.WorkloadResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kplane bench store [--quick] [--compare etcd]}: a 3-member kplane store and (with the
 * comparison) a 3-member etcd 3.4, both on loopback with fsync on, driven by the same client
 * ({@link StoreClient}: raw jetcd-grpc stubs over several channels) in the same run.
 *
 * <p>Workloads: puts (8-byte keys over 100k keys, 256-byte values), linearizable gets,
 * serializable gets and txns, closed loop at 1, 16 and 256 outstanding requests (quick: 256 only)
 * for peak throughput; puts in open loop at a fixed rate (the same for both systems) for latency
 * under load; watch delivery (N watchers, latency from put acknowledgment to event, after a warm-up at the same load). The load
 * client's own ceiling is measured against {@link InstantKvServer}. Parameters: {@code -p
 * compare=etcd|none}, {@code -p members=3}, {@code -p keys=100000}, {@code -p rate=N},
 * {@code -p duration=20s}, {@code -p watchers=N}, {@code -p fsync=false} (benchmark-only mode, said so),
 * {@code -p ops=put,txn} (only these closed-loop workloads, without the open-loop put, watch and
 * client-ceiling phases: for iterating on one workload), {@code -p clients=16,256}.
 */
public final class StoreArea implements BenchArea {

    private static final int VALUE_BYTES = 256;

    @Override
    public String name() {
        return "store";
    }

    @Override
    public String title() {
        return "Store: etcd v3 API puts, gets, txns and watch, kplane vs etcd 3.4 (same client, same machine)";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        PrintStream log = ctx.log();
        boolean compare = !ctx.param("compare", "etcd").equals("none");
        boolean etcdHere = EtcdCluster.installed();
        if (compare && !etcdHere) {
            ctx.note("etcd peer skipped: " + RunContext.ETCD_INSTALL_HINT);
        }
        int members = ctx.param("members", 3);
        int keys = ctx.param("keys", ctx.quickOr(10_000, 100_000));
        boolean fsync = Boolean.parseBoolean(ctx.param("fsync", "true"));
        String durability = fsync ? "fsync before acknowledging (both systems)" : "no fsync (benchmark-only mode)";
        Duration warmup = ctx.param("warmup", ctx.quickOr(Duration.ofSeconds(4), Duration.ofSeconds(5)));
        Duration duration = ctx.param("duration", ctx.quickOr(Duration.ofSeconds(4), Duration.ofSeconds(20)));
        List<Integer> clients = ctx.param("clients", "").isBlank()
                ? (ctx.quick() ? List.of(256) : List.of(1, 16, 256))
                : Arrays.stream(ctx.param("clients", "").split(",")).map(String::trim).map(Integer::valueOf).toList();
        List<StoreClient.Op> ops = selectedOps(ctx.param("ops", ""));
        boolean allOps = ops.size() == StoreClient.Op.values().length;
        int watchers = ctx.param("watchers", ctx.quickOr(100, 1000));

        // 1. Both systems, one after the other, same client and workloads.
        Map<String, Map<String, WorkloadResult>> bySystem = new LinkedHashMap<>();
        Path tmp = Files.createTempDirectory("kplane-bench-store");
        try {
            // etcd first: the open-loop rate both systems get is half of etcd's measured put peak,
            // a load etcd sustains, so that the p99 comparison is at a rate fair to the peer.
            double rate = ctx.param("rate", Double.NaN);
            if (compare && etcdHere) {
                bySystem.put("etcd", runSystem(ctx, "etcd", tmp, members, keys, clients, ops, warmup, duration, watchers,
                        durability, fsync, rate));
                if (allOps) {
                    rate = bySystem.get("etcd").get("open-rate").targetRate();
                }
            }
            bySystem.put("kplane", runSystem(ctx, "kplane", tmp, members, keys, clients, ops, warmup, duration, watchers,
                    durability, fsync, rate));
        } finally {
            EtcdCluster.deleteTree(tmp);
        }
        if (!allOps) {
            partialSummary(ctx, bySystem);
            return;
        }
        // 2. The client's own ceiling: a server that answers at once. Measured last, with the
        // client's JIT as warm as it was for the systems (measured first, a cold client reads low).
        try (InstantKvServer instant = InstantKvServer.start();
             StoreClient client = new StoreClient(instant.clientEndpoints(), 4, keys, VALUE_BYTES)) {
            log.println("  client ceiling: closed loop against a server that answers at once");
            WorkloadResult ceiling = ctx.load(spec("put", instant.system(), 256, warmup, duration, durability, keys, members),
                    op(client, StoreClient.Op.PUT));
            ctx.note(String.format("load client ceiling (instant server, 256 outstanding): %,.0f puts/s", ceiling.throughput()));
        }

        headlines(ctx, bySystem, clients.get(clients.size() - 1));
    }

    private Map<String, WorkloadResult> runSystem(RunContext ctx, String system, Path tmp, int members, int keys,
                                                  List<Integer> clients, List<StoreClient.Op> ops,
                                                  Duration warmup, Duration duration,
                                                  int watchers, String durability, boolean fsync, double fixedRate)
            throws Exception {
        PrintStream log = ctx.log();
        Map<String, WorkloadResult> results = new LinkedHashMap<>();
        log.printf("  starting %d %s members (fsync %s)%n", members, system, fsync ? "on" : "OFF");
        try (StoreCluster cluster = system.equals("etcd")
                ? EtcdCluster.start(members, tmp.resolve("etcd"))
                : KplaneStoreCluster.start(members, tmp.resolve("kplane"), !fsync);
             StoreClient client = new StoreClient(cluster.clientEndpoints(), 4, keys, VALUE_BYTES)) {
            if (!fsync && system.equals("etcd")) {
                ctx.note("etcd has no no-fsync mode; with -p fsync=false the comparison is not like for like");
            }
            log.printf("  preloading %,d keys%n", keys);
            client.preload(256);
            for (StoreClient.Op op : ops) {
                for (int c : clients) {
                    double cpu0 = ProcessCpu.seconds(cluster.pids());
                    WorkloadResult r = ctx.load(spec(workload(op, c), system, c, warmup, duration, durability, keys, members),
                            op(client, op));
                    for (long pid : cluster.pids()) {
                        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
                            throw new IllegalStateException(system + " member (pid " + pid + ") exited during "
                                    + r.workload() + " (out of memory or a crash); results after this point would be meaningless");
                        }
                    }
                    double serverCpu = ProcessCpu.seconds(cluster.pids()) - cpu0;
                    double seconds = (warmup.toMillis() + duration.toMillis()) / 1000.0;
                    // per op over warm-up and measurement at the measured rate (the same bias for both systems)
                    log.printf("    %s: servers used %.1f CPU-s (%.0f%% of 2 cores over the run), ~%.3f CPU-s per 1k ops%n",
                            r.workload(), serverCpu,
                            100 * serverCpu / (seconds * Runtime.getRuntime().availableProcessors()),
                            1000 * serverCpu / (r.throughput() * seconds));
                    results.put(workload(op, c), r);
                }
            }
            if (ops.size() != StoreClient.Op.values().length) {
                return results; // a partial run (-p ops=...): closed-loop workloads only
            }
            double peak = results.get(workload(StoreClient.Op.PUT, clients.get(clients.size() - 1))).throughput();
            double rate = Double.isNaN(fixedRate) ? Math.max(50, Math.floor(peak / 2 / 50) * 50) : fixedRate;
            LoadSpec open = LoadSpec.openLoop("put-open", system, rate)
                    .withOutstanding(4096).withWarmup(warmup).withDuration(duration)
                    .withDurability(durability).withParam("valueBytes", VALUE_BYTES).withParam("keys", keys)
                    .withParam("members", members).withParam("rate", rate);
            results.put("open-rate", ctx.load(open, op(client, StoreClient.Op.PUT)));

            double watchSeconds = duration.toMillis() / 1000.0;
            double watchRate = ctx.param("watch-rate", 200.0);
            // Warmed up like every other phase: a member's watch path is cold until now (the phases
            // before exercise puts and reads only), and in its first seconds at tens of thousands of
            // events per second a JVM member delivers late while it compiles — that was most of
            // the quick suite's kplane watch p99, not the fan-out.
            double warmupSeconds = warmup.toMillis() / 1000.0;
            log.printf("  watch warm-up: %d watchers, %.0f puts/s for %.0f s%n", watchers, watchRate, warmupSeconds);
            WatchDelivery.Result cold = WatchDelivery.run(cluster.clientEndpoints(), watchers, 2, watchRate, warmupSeconds,
                    ByteString.copyFromUtf8("watch-warmup/"), client.value());
            log.printf("  watch warm-up [%s] p50 %.2f ms  p99 %.2f ms (not recorded)%n", system,
                    cold.latencyNanos().getValueAtPercentile(50) / 1e6, cold.latencyNanos().getValueAtPercentile(99) / 1e6);
            log.printf("  watch: %d watchers, %.0f puts/s for %.0f s%n", watchers, watchRate, watchSeconds);
            WatchDelivery.Result w = WatchDelivery.run(cluster.clientEndpoints(), watchers, 2, watchRate, watchSeconds,
                    ByteString.copyFromUtf8("watch/"), client.value());
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("watchers", watchers);
            params.put("putsPerSecond", watchRate);
            params.put("members", members);
            params.put("eventsExpected", w.expected());
            params.put("eventsDelivered", w.delivered());
            params.put("eventsBeforeAck", w.beforeAck());
            results.put("watch", ctx.addHistogram("watch-delivery", system, w.latencyNanos(), w.seconds(), params,
                    durability));
            log.printf("  watch-delivery [%s] %,d of %,d events, p50 %.2f ms  p99 %.2f ms  max %.2f ms (%,d before the put's ack)%n",
                    system, w.delivered(), w.expected(), w.latencyNanos().getValueAtPercentile(50) / 1e6,
                    w.latencyNanos().getValueAtPercentile(99) / 1e6, w.latencyNanos().getMaxValue() / 1e6, w.beforeAck());
            if (w.delivered() < w.expected()) {
                ctx.note(String.format("%s: %,d of %,d watch events missing after a 10 s drain", system,
                        w.expected() - w.delivered(), w.expected()));
            }
        }
        return results;
    }

    /** {@code -p ops=put,txn}: the closed-loop workloads to run, in the usual order (all if blank). */
    static List<StoreClient.Op> selectedOps(String param) {
        if (param.isBlank()) {
            return List.of(StoreClient.Op.values());
        }
        List<String> names = Arrays.stream(param.split(",")).map(String::trim).toList();
        List<StoreClient.Op> ops = new ArrayList<>();
        for (StoreClient.Op op : StoreClient.Op.values()) {
            if (names.contains(workload(op, 0).replace("-c0", ""))) {
                ops.add(op);
            }
        }
        if (ops.size() != names.size()) {
            throw new IllegalArgumentException("-p ops=" + param + ": known workloads are put, get-linearizable, "
                    + "get-serializable, txn");
        }
        return ops;
    }

    /** The ratio table of a partial run (no headlines: those need every workload). */
    private static void partialSummary(RunContext ctx, Map<String, Map<String, WorkloadResult>> bySystem) {
        Map<String, WorkloadResult> k = bySystem.get("kplane");
        Map<String, WorkloadResult> e = bySystem.getOrDefault("etcd", Map.of());
        ratioTable(ctx, k, e);
    }

    private static String workload(StoreClient.Op op, int clients) {
        String name = switch (op) {
            case PUT -> "put";
            case GET_LINEARIZABLE -> "get-linearizable";
            case GET_SERIALIZABLE -> "get-serializable";
            case TXN -> "txn";
        };
        return name + "-c" + clients;
    }

    private static LoadSpec spec(String workload, String system, int clients, Duration warmup, Duration duration,
                                 String durability, int keys, int members) {
        return LoadSpec.closedLoop(workload.contains("-c") ? workload : workload + "-c" + clients, system, clients)
                .withWarmup(warmup).withDuration(duration).withDurability(durability)
                .withParam("clients", clients).withParam("valueBytes", VALUE_BYTES).withParam("keys", keys)
                .withParam("members", members);
    }

    private static AsyncOperation op(StoreClient client, StoreClient.Op op) {
        int keys = client.keySpace();
        return AsyncOperation.ofFuture(seq -> client.issue(op, (int) seq,
                (int) Math.floorMod(seq * 0x9E3779B97F4A7C15L >>> 17, (long) keys)));
    }

    private static void headlines(RunContext ctx, Map<String, Map<String, WorkloadResult>> bySystem, int clients) {
        Map<String, WorkloadResult> k = bySystem.get("kplane");
        Map<String, WorkloadResult> e = bySystem.get("etcd");
        String[][] shown = {
                {"put-c" + clients, "puts/s"},
                {"get-linearizable-c" + clients, "linearizable gets/s"},
                {"get-serializable-c" + clients, "serializable gets/s"},
                {"txn-c" + clients, "txns/s"}};
        Anchor[] published = {Anchors.ETCD_WRITES_1000_CLIENTS, Anchors.ETCD_READS_LINEARIZABLE,
                Anchors.ETCD_READS_SERIALIZABLE, null};
        for (int i = 0; i < shown.length; i++) {
            WorkloadResult kr = k.get(shown[i][0]);
            var h = ctx.measured(shown[i][1] + ", " + clients + " clients, 3 members", kr.throughput(), "ops/s", true)
                    .withNoise(kr.throughputNoise() == null ? 0 : kr.throughputNoise());
            if (e != null) {
                h = h.against(Anchors.measured("etcd 3.4, same client, this machine", e.get(shown[i][0]).throughput(), "ops/s"));
            } else if (published[i] != null) {
                h = h.against(published[i]).withNote("etcd not installed here, so no peer: install it with `" + Anchors.ETCD_INSTALL
                        + "`; the published figure (3x8 vCPU) is context only");
            }
            ctx.headline(h);
        }
        WorkloadResult open = k.get("open-rate");
        var p99 = ctx.measured(String.format("put p99 at %,.0f puts/s (open loop)", open.targetRate()),
                open.latency().p99Us() / 1e3, "ms", false);
        if (e != null) {
            p99 = p99.against(Anchors.measured("etcd 3.4 p99 at the same rate", e.get("open-rate").latency().p99Us() / 1e3, "ms"));
        }
        ctx.headline(p99);
        WorkloadResult watch = k.get("watch");
        var w = ctx.measured("watch delivery p99 (put ack to event)", watch.latency().p99Us() / 1e3, "ms", false);
        if (e != null) {
            w = w.against(Anchors.measured("etcd 3.4 watch p99, same load", e.get("watch").latency().p99Us() / 1e3, "ms"));
        }
        ctx.headline(w);
        if (e != null) {
            ratioTable(ctx, k, e);
        }
    }

    /** kplane beside etcd per workload: ops/s, their ratio and p99 (workloads etcd did not run show NaN). */
    private static void ratioTable(RunContext ctx, Map<String, WorkloadResult> k, Map<String, WorkloadResult> e) {
        ctx.log().println();
        ctx.log().printf("  %-26s %14s %14s %8s   %10s %10s%n", "workload", "kplane ops/s", "etcd ops/s", "ratio",
                "kplane p99", "etcd p99");
        for (String key : k.keySet()) {
            WorkloadResult a = k.get(key);
            WorkloadResult b = e.get(key);
            ctx.log().printf("  %-26s %,14.0f %,14.0f %7.2fx   %8.2fms %8.2fms%n", a.workload(), a.throughput(),
                    b == null ? Double.NaN : b.throughput(), b == null ? Double.NaN : a.throughput() / b.throughput(),
                    a.latency().p99Us() / 1e3, b == null ? Double.NaN : b.latency().p99Us() / 1e3);
        }
    }
}
