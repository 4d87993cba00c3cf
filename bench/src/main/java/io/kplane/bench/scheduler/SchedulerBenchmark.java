package io.kplane.bench.scheduler;

import io.kplane.time.NanoClock;
import io.kplane.scheduler.Invariants;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Scheduler;
import io.kplane.scheduler.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one scheduler_perf workload against the scheduler core through an {@link InMemoryCluster}
 * (asynchronous binding on another thread), and returns throughput, attempt latency and the
 * invariant check results.
 */
final class SchedulerBenchmark {

    /** Figures of one workload run. */
    record Result(String workload, int nodes, int initPods, int measuredPods, double seconds, double podsPerSecond,
            double threshold, long attempts, Histogram attemptLatencyNanos, List<String> violations, long churnOps,
            double schedulerCpuSeconds, double apiCpuSeconds) {
        double ratio() {
            return podsPerSecond / threshold;
        }

        /** Pods per CPU-second of the scheduler thread: the figure that does not depend on machine load. */
        double podsPerCpuSecond() {
            return measuredPods / schedulerCpuSeconds;
        }
    }

    /** scheduler_perf's churn interval (intervalMilliseconds: 1000). */
    static final long CHURN_INTERVAL_NANOS = 1_000_000_000L;

    static Result run(Workload w, long seed, Consumer<String> progress) throws InterruptedException {
        return run(w, seed, CHURN_INTERVAL_NANOS, progress);
    }

    static Result run(Workload w, long seed, long churnIntervalNanos, Consumer<String> progress)
            throws InterruptedException {
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        long[] attempts = {0};
        long[] bound = {0};
        boolean[] measuring = {false};
        try (InMemoryCluster cluster = new InMemoryCluster()) {
            Scheduler s = new Scheduler(NanoClock.system(), new SplittableRandom(seed), cluster, cluster, Scheduler.Config.DEFAULT);
            s.setListener(new Scheduler.Listener() {
                @Override
                public void attempt(PodInfo pod, Scheduler.Result result, String node, long start, long end) {
                    if (measuring[0]) {
                        attempts[0]++;
                        latency.recordValue(Math.max(0, end - start));
                    }
                }

                @Override
                public void bound(PodInfo pod, String node, int attemptsOfPod, long first) {
                    bound[0]++;
                }
            });
            cluster.start(s);
            for (String ns : List.of("default", "sched-0", "sched-1")) {
                s.onNamespace(ns, Map.of("kubernetes.io/metadata.name", ns));
            }
            for (int i = 0; i < w.nodes(); i++) {
                s.onNodeAdd(w.node(i));
            }
            long startNanos = System.nanoTime();
            for (int i = 0; i < w.initPods(); i++) {
                cluster.create(w.initPod().apply(i).creationNanos(startNanos + i).build());
            }
            long target = w.initPods();
            drive(s, cluster, bound, target, null, progress, w.name() + " init");
            measuring[0] = true;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long api0 = cluster.apiCpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < w.measurePods(); i++) {
                cluster.create(w.measurePod().apply(i).creationNanos(t0 + i).build());
            }
            Churn churn = w.churn() ? new Churn(cluster, s, w, churnIntervalNanos) : null;
            drive(s, cluster, bound, target + w.measurePods(), churn, progress, w.name());
            long t1 = System.nanoTime();
            long cpu1 = mx.getCurrentThreadCpuTime();
            long api1 = cluster.apiCpuNanos();
            measuring[0] = false;
            s.cache().updateSnapshot(s.snapshot());
            List<String> violations = Invariants.check(s.snapshot().nodes(),
                    Map.of("default", Map.of(), "sched-0", Map.of(), "sched-1", Map.of()));
            double secs = (t1 - t0) / 1e9;
            return new Result(w.name(), w.nodes(), w.initPods(), w.measurePods(), secs, w.measurePods() / secs,
                    w.threshold(), attempts[0], latency, violations, churn == null ? 0 : churn.ops, (cpu1 - cpu0) / 1e9,
                    (api1 - api0) / 1e9);
        }
    }

    /** The scheduler thread's loop: apply events, schedule, until {@code target} pods are bound. */
    private static void drive(Scheduler s, InMemoryCluster cluster, long[] bound, long target, Churn churn,
            Consumer<String> progress, String label) {
        long lastTick = System.nanoTime();
        long lastReport = lastTick;
        long deadline = lastTick + 600_000_000_000L;
        while (bound[0] < target) {
            cluster.drainInbox();
            boolean did = s.scheduleOne();
            long now = System.nanoTime();
            if (!did) {
                if (cluster.drainInbox() == 0) {
                    Thread.onSpinWait();
                }
            }
            if (now - lastTick > 100_000_000L) {
                s.tick();
                lastTick = now;
            }
            if (churn != null) {
                churn.maybeStep(now);
            }
            if (now - lastReport > 2_000_000_000L) {
                progress.accept(String.format("  %s: %d/%d bound, queue active=%d backoff=%d unschedulable=%d",
                        label, bound[0], target, s.queue().activeCount(), s.queue().backoffCount(),
                        s.queue().unschedulableCount()));
                lastReport = now;
            }
            if (now > deadline) {
                throw new IllegalStateException(label + ": only " + bound[0] + "/" + target + " pods bound after 600 s");
            }
        }
    }

    /**
     * SchedulingWithMixedChurn's churn op in recreate mode: each interval, delete what the previous
     * step created and create a node, an unschedulable high-priority pod (9 CPU) and a service.
     */
    private static final class Churn {
        final InMemoryCluster cluster;
        final Scheduler s;
        final Workload w;
        long next;
        int seq;
        String node;
        PodInfo pod;
        String service;
        long ops;
        final long interval;

        Churn(InMemoryCluster cluster, Scheduler s, Workload w, long interval) {
            this.interval = interval;
            this.cluster = cluster;
            this.s = s;
            this.w = w;
            this.next = System.nanoTime();
        }

        void maybeStep(long now) {
            if (now < next) {
                return;
            }
            next = now + interval;
            if (node != null) {
                s.onNodeDelete(node);
                cluster.delete(pod);
                s.onService(service, "default", null);
            }
            seq++;
            NodeInfo.NodeSpec spec = w.node(1_000_000 + seq);
            node = spec.name();
            s.onNodeAdd(spec);
            pod = PodInfo.builder("default", "churn-h-" + seq).requests(9000, 500 * Workload.MI).priority(10)
                    .creationNanos(now).build();
            cluster.create(pod);
            service = "default/churn-svc-" + seq;
            s.onService(service, "default", Selector.labels(Map.of("app", "churn-" + seq)));
            ops++;
        }
    }

    static List<Workload> select(List<Workload> all, List<String> names) {
        if (names == null || names.isEmpty()) {
            return all;
        }
        List<Workload> out = new ArrayList<>();
        for (Workload w : all) {
            for (String n : names) {
                if (w.name().equalsIgnoreCase(n)) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
