package io.kplane.bench.scheduler;

import io.kplane.apiserver.ApiServer;
import io.kplane.apiserver.Authenticator;
import io.kplane.apiserver.CachedWatchSource;
import io.kplane.apiserver.EmbeddedStorage;
import io.kplane.apiserver.ServingCerts;
import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Json;
import io.kplane.model.Namespace;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import io.kplane.scheduler.FromModel;
import io.kplane.scheduler.Invariants;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.SchedulerRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One scheduler_perf workload end to end, as scheduler_perf runs it: a fresh API server (kplane's
 * own, in this JVM, HTTPS on loopback, embedded store, watch cache), the scheduler runtime
 * ({@link SchedulerRuntime}: informers, one loop thread, bindings through {@code pods/binding}),
 * nodes and pods created through the API by a pool of clients, and the bench's own pod informer
 * noting when each pod is seen bound. Init pods are created and scheduled first and not measured.
 *
 * <p>Figures: throughput = measured pods / (last measured pod seen bound − first measured create
 * sent), as scheduler_perf averages it; pods bound in each second (its SchedulingThroughput
 * samples); and each pod's scheduling latency from its create request to its binding seen through
 * the watch — queueing, the scheduling attempt(s), the binding write and the watch delivery.
 */
final class ApiServerRun {

    /** Figures of one workload. {@code perSecond.get(i)}: latencies of pods seen bound in second i. */
    record Result(String workload, int nodes, int initPods, int measuredPods, double seconds, double podsPerSecond,
            double threshold, Histogram latencyNanos, List<Histogram> perSecond, List<String> violations,
            double processCpuSeconds, double setupSeconds, int churnOps) {

        /**
         * Measured pods per CPU-second of this whole JVM (API server, store, scheduler, clients and
         * the bench's watch): less dependent on how loaded the shared machine is than pods/s.
         */
        double podsPerCpuSecond() {
            return measuredPods / processCpuSeconds;
        }

        /** Pods bound in each whole second of the measurement (the last, partial second left out). */
        double[] secondRates() {
            int whole = (int) Math.floor(seconds);
            double[] out = new double[Math.max(0, Math.min(whole, perSecond.size()))];
            for (int i = 0; i < out.length; i++) {
                out[i] = perSecond.get(i).getTotalCount();
            }
            return out;
        }
    }

    static final int CLIENTS = 8;
    static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    private ApiServerRun() {}

    /** The default churn interval: scheduler_perf's intervalMilliseconds of SchedulingWithMixedChurn. */
    static final Duration CHURN_INTERVAL = Duration.ofSeconds(1);

    static Result run(ApiWorkload w, Path dir, Consumer<String> progress) throws Exception {
        return run(w, dir, CHURN_INTERVAL, progress);
    }

    /** @param churnInterval how often a churning workload ({@link ApiWorkload#churn()}) recreates its objects */
    static Result run(ApiWorkload w, Path dir, Duration churnInterval, Consumer<String> progress) throws Exception {
        Files.createDirectories(dir);
        EmbeddedStorage storage = new EmbeddedStorage();
        String token = io.kplane.apiserver.Kubeconfig.newToken();
        Authenticator auth = new Authenticator(Map.of(token,
                new Authenticator.User("bench", "bench", List.of("system:masters", "system:authenticated"))), false);
        ServingCerts certs = ServingCerts.createOrLoad(dir.resolve("pki"), "127.0.0.1");
        ApiServer server = new ApiServer(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", 0), auth)
                .withSsl(certs.serverContext()).withWatchSource((s, r) -> new CachedWatchSource(s)), storage);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        SchedulerRuntime scheduler = null;
        Informer<Pod> watcher = null;
        ApiChurn churn = null;
        try {
            InetSocketAddress bound = server.start();
            Path kubeconfig = dir.resolve("kubeconfig");
            io.kplane.apiserver.Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + bound.getPort(), certs.caPem(), token);
            KubeClient client = KubeClient.fromKubeconfig(kubeconfig);
            long setup0 = System.nanoTime();
            for (String ns : w.namespaces()) {
                client.create(ApiResource.NAMESPACES, Json.read(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}", Namespace.class));
            }
            for (String pc : w.priorityClasses()) {
                String[] kv = pc.split("=");
                client.create(ApiResource.PRIORITY_CLASSES, Json.read("{\"apiVersion\":\"scheduling.k8s.io/v1\","
                        + "\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + kv[0] + "\"},\"value\":" + kv[1] + "}",
                        PriorityClass.class));
            }
            createAll(pool, w.nodes(), i -> client.create(ApiResource.NODES, w.node(i)));

            ConcurrentHashMap<String, Long> boundAt = new ConcurrentHashMap<>();
            AtomicInteger boundCount = new AtomicInteger();
            watcher = new Informer<>(client, ApiResource.PODS);
            watcher.addHandler(new EventHandler<>() {
                @Override
                public void onAdd(Pod p) {
                    seen(p);
                }

                @Override
                public void onUpdate(Pod old, Pod p) {
                    seen(p);
                }

                private void seen(Pod p) {
                    if (p.spec() != null && p.spec().nodeName() != null && !p.spec().nodeName().isEmpty()
                            && boundAt.putIfAbsent(key(p.metadata().namespace(), p.metadata().name()), System.nanoTime()) == null) {
                        boundCount.incrementAndGet();
                    }
                }
            });
            watcher.start();
            if (!watcher.waitForSync(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the bench's pod informer did not sync");
            }
            scheduler = new SchedulerRuntime(client, new SchedulerRuntime.Config(SchedulerRuntime.DEFAULT_SCHEDULER, null),
                    () -> {}).start(Duration.ofSeconds(60));

            createAll(pool, w.initPods(), i -> client.create(ApiResource.PODS, w.initPod().apply(i)));
            await(boundCount, w.initPods(), w.name() + " init", progress);
            double setupSeconds = (System.nanoTime() - setup0) / 1e9;

            ConcurrentHashMap<String, Long> createdAt = new ConcurrentHashMap<>();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            if (w.churn()) {
                churn = new ApiChurn(client, w, churnInterval).start();
            }
            createAll(pool, w.measurePods(), i -> {
                Pod p = w.measurePod().apply(i);
                createdAt.put(key(p.metadata().namespace(), p.metadata().name()), System.nanoTime());
                client.create(ApiResource.PODS, p);
            });
            await(boundCount, w.initPods() + w.measurePods(), w.name(), progress);
            long cpu1 = processCpuNanos();
            int churnOps = 0;
            List<String> violations = new ArrayList<>();
            Set<String> churnedNodes = Set.of();
            if (churn != null) {
                churn.close();
                churnOps = churn.ops();
                churnedNodes = churn.deletedNodes();
                violations.addAll(churn.errors());
            }

            Histogram all = new Histogram(3_600_000_000_000L, 3);
            List<Histogram> perSecond = new ArrayList<>();
            long last = t0;
            for (Map.Entry<String, Long> e : createdAt.entrySet()) {
                Long at = boundAt.get(e.getKey());
                if (at == null) {
                    throw new IllegalStateException(e.getKey() + " was counted but not seen bound");
                }
                last = Math.max(last, at);
                long latency = Math.max(0, at - e.getValue());
                all.recordValue(latency);
                int second = (int) ((at - t0) / 1_000_000_000L);
                while (perSecond.size() <= second) {
                    perSecond.add(new Histogram(3_600_000_000_000L, 3));
                }
                perSecond.get(second).recordValue(latency);
            }
            double secs = (last - t0) / 1e9;
            violations.addAll(invariants(client, churnedNodes));
            return new Result(w.name(), w.nodes(), w.initPods(), w.measurePods(), secs, w.measurePods() / secs,
                    w.threshold(), all, perSecond, violations, (cpu1 - cpu0) / 1e9, setupSeconds, churnOps);
        } finally {
            if (churn != null) {
                churn.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
            if (watcher != null) {
                watcher.close();
            }
            pool.shutdownNow();
            server.close();
            storage.close();
        }
    }

    private interface Create {
        void apply(int i) throws Exception;
    }

    /** Runs {@code n} creates on the client pool and waits for all; the first failure is thrown. */
    private static void createAll(ExecutorService pool, int n, Create create) throws Exception {
        List<Future<?>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(pool.submit(() -> {
                create.apply(k);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof ApiException a) {
                    throw a;
                }
                throw new IllegalStateException("create failed: " + c, c);
            }
        }
    }

    private static void await(AtomicInteger count, int target, String label, Consumer<String> progress)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + PHASE_TIMEOUT.toNanos();
        long nextReport = start + 5_000_000_000L;
        while (count.get() < target) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(label + ": only " + count.get() + "/" + target + " pods bound after "
                        + PHASE_TIMEOUT.toSeconds() + " s");
            }
            if (now > nextReport) {
                progress.accept(String.format("  %s: %d/%d pods bound", label, count.get(), target));
                nextReport = now + 5_000_000_000L;
            }
            Thread.sleep(2);
        }
    }

    /**
     * The cluster as the API server holds it after the run, checked with the scheduler's invariants
     * (no node over allocatable, required anti-affinity respected, spreading within maxSkew). Pods
     * bound to a node the churn deleted are orphans, not violations (upstream's pod GC would delete
     * them); a churn pod (9 CPUs, more than any node has) found bound is one.
     */
    private static List<String> invariants(KubeClient client, Set<String> churnedNodes) {
        Map<String, NodeInfo> nodes = new HashMap<>();
        for (Node n : client.listAll(ApiResource.NODES, null, ListOptions.NONE).items()) {
            nodes.put(n.metadata().name(), new NodeInfo(FromModel.node(n)));
        }
        Map<String, Map<String, String>> nsLabels = new HashMap<>();
        for (Namespace ns : client.listAll(ApiResource.NAMESPACES, null, ListOptions.NONE).items()) {
            Map<String, String> labels = new HashMap<>(ns.metadata().labels() == null ? Map.of() : ns.metadata().labels());
            labels.putIfAbsent("kubernetes.io/metadata.name", ns.metadata().name());
            nsLabels.put(ns.metadata().name(), labels);
        }
        List<String> violations = new ArrayList<>();
        for (Pod p : client.listAll(ApiResource.PODS, null, ListOptions.NONE).items()) {
            String node = p.spec().nodeName();
            if (node == null || node.isEmpty()) {
                continue;
            }
            if (ApiChurn.isChurnPod(p.metadata().name())) {
                violations.add(p.metadata().name() + " asks for more CPU than any node has, yet is bound to " + node);
            }
            NodeInfo info = nodes.get(node);
            if (info == null && churnedNodes.contains(node)) {
                continue;
            }
            if (info == null) {
                violations.add(p.metadata().name() + " bound to unknown node " + node);
            } else {
                info.addPod(FromModel.pod(p, name -> null));
            }
        }
        violations.addAll(Invariants.check(new ArrayList<>(nodes.values()), nsLabels));
        return violations;
    }

    static String key(String ns, String name) {
        return (ns == null ? "default" : ns) + "/" + name;
    }

    static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    /**
     * Writes the per-second histograms as an HdrHistogram interval log (one interval per second,
     * values in nanoseconds), so the report draws throughput over time and latency by percentile.
     */
    static void writeLog(Result r, Path hlog) throws IOException {
        long end = System.currentTimeMillis();
        long base = end - Math.round(r.seconds() * 1000);
        try (PrintStream out = new PrintStream(Files.newOutputStream(hlog), false, StandardCharsets.US_ASCII)) {
            HistogramLogWriter log = new HistogramLogWriter(out);
            log.outputComment("kplane scheduler --e2e: " + r.workload() + ", pod scheduling latency (create sent -> "
                    + "binding seen through the watch), one interval per second, values in nanoseconds");
            log.outputLogFormatVersion();
            log.setBaseTime(base);
            log.outputStartTime(base);
            log.outputBaseTime(base);
            log.outputLegend();
            for (int i = 0; i < r.perSecond().size(); i++) {
                Histogram h = r.perSecond().get(i);
                h.setStartTimeStamp(base + i * 1000L);
                h.setEndTimeStamp(Math.min(end, base + (i + 1) * 1000L));
                log.outputIntervalHistogram(h);
            }
        }
    }
}
