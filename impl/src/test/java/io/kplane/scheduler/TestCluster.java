package io.kplane.scheduler;

import io.kplane.time.ManualNanoClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic in-memory cluster around a {@link Scheduler} for scenario tests: binds and
 * deletions are queued and applied in a later step, as an API server would, and fed back as events.
 */
final class TestCluster implements Binder, ClusterActions {
    final ManualNanoClock now = new ManualNanoClock(1_000_000_000L);
    final Scheduler scheduler;
    final Map<String, PodInfo> pods = new HashMap<>();
    final ArrayDeque<String[]> pendingBinds = new ArrayDeque<>();
    final ArrayDeque<PodInfo> pendingDeletes = new ArrayDeque<>();
    final List<String> deleted = new ArrayList<>();
    final Map<String, String> nominations = new HashMap<>();
    int podSeq;

    TestCluster() {
        this(Scheduler.Config.DEFAULT);
    }

    TestCluster(Scheduler.Config config) {
        scheduler = new Scheduler(now, new SplittableRandom(42), this, this, config);
    }

    @Override
    public void bind(PodInfo pod, String nodeName) {
        pendingBinds.add(new String[] {pod.uid(), nodeName});
    }

    @Override
    public void deletePod(PodInfo victim) {
        pendingDeletes.add(victim);
    }

    @Override
    public void setNominatedNode(PodInfo pod, String nodeName) {
        nominations.put(pod.uid(), nodeName);
    }

    NodeInfo.NodeSpec node(String name, long milliCpu, long memory, Map<String, String> labels) {
        Map<String, String> l = new HashMap<>(labels);
        l.put(Labels.HOSTNAME, name);
        NodeInfo.NodeSpec n = NodeInfo.NodeSpec.of(name, l, Resources.of(milliCpu, memory, 110));
        scheduler.onNodeAdd(n);
        return n;
    }

    PodInfo add(PodInfo.Builder b) {
        PodInfo p = b.creationNanos(now.nanoTime() + podSeq++).build();
        pods.put(p.uid(), p);
        scheduler.onPodAdd(p);
        return p;
    }

    /** Places a pod directly (as if bound earlier). */
    PodInfo place(PodInfo.Builder b, String node) {
        PodInfo p = b.nodeName(node).creationNanos(now.nanoTime() + podSeq++).startNanos(now.nanoTime() + podSeq).build();
        pods.put(p.uid(), p);
        scheduler.onPodAdd(p);
        return p;
    }

    /** Applies pending API effects (binds, deletions) and returns how many. */
    int applyPending() {
        int n = 0;
        while (!pendingBinds.isEmpty()) {
            String[] b = pendingBinds.poll();
            PodInfo old = pods.get(b[0]);
            scheduler.onBindResult(b[0], true, null);
            if (old != null) {
                PodInfo bound = old.toBuilder().nodeName(b[1]).nominatedNodeName(null).startNanos(now.nanoTime()).build();
                pods.put(b[0], bound);
                scheduler.onPodUpdate(old, bound);
            }
            n++;
        }
        while (!pendingDeletes.isEmpty()) {
            PodInfo v = pendingDeletes.poll();
            if (pods.remove(v.uid()) != null) {
                deleted.add(v.uid());
                scheduler.onPodDelete(v);
            }
            n++;
        }
        return n;
    }

    /** Schedules and applies effects until nothing moves; advances time by {@code stepNanos} when idle. */
    void run(int maxIdleSteps, long stepNanos) {
        int idle = 0;
        while (idle < maxIdleSteps) {
            boolean any = false;
            while (scheduler.scheduleOne()) {
                any = true;
            }
            if (applyPending() > 0) {
                any = true;
            }
            if (!any) {
                idle++;
                now.advance(stepNanos);
                scheduler.tick();
            } else {
                idle = 0;
            }
        }
    }

    void run() {
        run(3, 1_000_000_000L);
    }

    String nodeOf(PodInfo p) {
        return pods.get(p.uid()) == null ? null : pods.get(p.uid()).nodeName();
    }

    List<String> invariants() {
        scheduler.cache().updateSnapshot(scheduler.snapshot());
        return Invariants.check(scheduler.snapshot().nodes(), Map.of());
    }
}
