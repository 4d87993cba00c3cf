package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's fast paths (filtering on sums when only NodeResourcesFit can tell nodes apart;
 * preemption dry runs on the {@link VictimIndex} keeping only the best candidate) against the
 * straightforward paths (every filter plugin on every node; dry runs on node copies through the
 * filter plugins; all candidates collected, then upstream's selection). Random clusters and event
 * sequences are replayed on both; every attempt's outcome and node, every victim deleted (in
 * order), every nomination and every final placement must be the same.
 */
class FastPathEquivalenceTest {

    static final long MI = 1024L * 1024;

    /** What one replay produced. */
    record Trace(List<String> attempts, List<String> deleted, Map<String, String> nominations,
            Map<String, String> placements) {}

    @Test
    void randomClustersScheduleAndPreemptTheSameWithAndWithoutFastPaths() {
        int preemptions = 0;
        int attempts = 0;
        for (long seed = 0; seed < 400; seed++) {
            Trace fast = replay(seed, true);
            Trace straight = replay(seed, false);
            assertThat(fast).as("seed " + seed).isEqualTo(straight);
            preemptions += fast.deleted().size();
            attempts += fast.attempts().size();
        }
        // The scenarios must actually preempt and schedule, or the comparison says little.
        assertThat(preemptions).isGreaterThan(500);
        assertThat(attempts).isGreaterThan(5000);
    }

    @Test
    void preemptionAsyncShapeIsTheSameWithAndWithoutFastPaths() {
        // The benchmark's shape at small scale: full identical nodes, then many high-priority pods,
        // with victims deleted and bindings confirmed at irregular times (pending nominations).
        for (long seed = 0; seed < 40; seed++) {
            Trace fast = replayPreemptionAsync(seed, true);
            Trace straight = replayPreemptionAsync(seed, false);
            assertThat(fast).as("seed " + seed).isEqualTo(straight);
            assertThat(fast.deleted()).hasSizeGreaterThanOrEqualTo(3 * 40);
        }
    }

    static Trace replayPreemptionAsync(long seed, boolean fastPaths) {
        TestCluster c = new TestCluster(new Scheduler.Config(0, true, fastPaths));
        List<String> attempts = record(c);
        for (int i = 0; i < 40; i++) {
            c.node("n" + i, 4000, 32L * 1024 * MI, Map.of());
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 160; i++) {
            c.place(PodInfo.builder("default", "low-" + i).requests(900, 500 * MI).priority(0)
                    .labels(Map.of("app", i % 3 == 0 ? "db" : "web")), "n" + (i % 40));
        }
        int highs = 0;
        for (; highs < 40; highs++) {
            c.add(PodInfo.builder("default", "high-" + highs).requests(3000, 500 * MI).priority(10 + r.nextInt(3)));
        }
        for (int step = 0; step < 400; step++) {
            int op = r.nextInt(10);
            if (step % 20 == 10) {
                // A bound high-priority pod goes away and another arrives: room that the next pod
                // of the same shape may take without preempting.
                // Or a pending one (its nomination goes with it): room that was promised to it.
                boolean pending = r.nextBoolean();
                List<String> bound = new ArrayList<>();
                for (PodInfo p : c.pods.values()) {
                    if ((p.nodeName() == null) == pending && p.uid().startsWith("default/high-")) {
                        bound.add(p.uid());
                    }
                }
                if (!bound.isEmpty()) {
                    java.util.Collections.sort(bound);
                    PodInfo gone = c.pods.remove(bound.get(r.nextInt(bound.size())));
                    c.scheduler.onPodDelete(gone);
                }
                c.add(PodInfo.builder("default", "high-" + highs++).requests(3000, 500 * MI).priority(10 + r.nextInt(3)));
            }
            if (step % 50 == 25) {
                // PDBs change between preemptors of the same shape: earlier dry runs no longer hold.
                int allowed = r.nextInt(3);
                c.scheduler.onDisruptionBudget("default/db", allowed == 2 ? null
                        : new Disruption("default", Selector.labels(Map.of("app", "db")), allowed));
            }
            if (op < 6) {
                c.scheduler.scheduleOne();
            } else if (op < 9) {
                c.applyPending();
            } else {
                c.now.advance(1_500_000_000L);
                c.scheduler.tick();
            }
        }
        c.run();
        return trace(c, attempts);
    }

    static List<String> record(TestCluster c) {
        List<String> attempts = new ArrayList<>();
        c.scheduler.setListener(new Scheduler.Listener() {
            @Override
            public void attempt(PodInfo pod, Scheduler.Result result, String node, long start, long end) {
                attempts.add(pod.uid() + " " + result + " " + node);
            }
        });
        return attempts;
    }

    static Trace trace(TestCluster c, List<String> attempts) {
        Map<String, String> placements = new TreeMap<>();
        for (PodInfo p : c.pods.values()) {
            placements.put(p.uid(), String.valueOf(p.nodeName()));
        }
        // Random starting placements ignore spread constraints; allocatable and anti-affinity must hold.
        assertThat(c.invariants()).filteredOn(v -> !v.startsWith("spread")).isEmpty();
        return new Trace(attempts, List.copyOf(c.deleted), new TreeMap<>(c.nominations), placements);
    }

    /** A random cluster and event sequence, the same for both replays of a seed. */
    static Trace replay(long seed, boolean fastPaths) {
        SplittableRandom r = new SplittableRandom(seed);
        TestCluster c = new TestCluster(new Scheduler.Config(0, true, fastPaths));
        List<String> attempts = record(c);
        c.scheduler.onNamespace("default", Map.of());
        int nodes = 2 + r.nextInt(30);
        List<NodeInfo> live = new ArrayList<>();
        List<NodeInfo.NodeSpec> specs = new ArrayList<>();
        boolean special = r.nextInt(4) == 0; // taints and cordoned nodes in some clusters only
        for (int i = 0; i < nodes; i++) {
            long cpu = new long[] {1000, 2000, 4000}[r.nextInt(3)];
            long pods = r.nextInt(5) == 0 ? 3 : 110;
            List<Taint> taints = special && r.nextInt(3) == 0
                    ? List.of(new Taint("dedicated", "x", r.nextBoolean() ? Taint.Effect.NO_SCHEDULE
                            : Taint.Effect.PREFER_NO_SCHEDULE))
                    : List.of();
            boolean cordoned = special && r.nextInt(6) == 0;
            Map<String, Long> scalars = r.nextInt(5) == 0 ? Map.of("example.com/gpu", 2L) : Map.of();
            String name = "n" + i;
            NodeInfo.NodeSpec spec = new NodeInfo.NodeSpec(name,
                    Map.of(Labels.HOSTNAME, name, Labels.ZONE, "z" + (i % 3), "disk", i % 2 == 0 ? "ssd" : "hdd"),
                    taints, new Resources(cpu, 4096 * MI, 10_000, pods, scalars), cordoned, Map.of());
            c.scheduler.onNodeAdd(spec);
            live.add(new NodeInfo(spec));
            specs.add(spec);
        }
        int placed = r.nextInt(4 * nodes + 1);
        for (int i = 0; i < placed; i++) {
            // Placed directly (not via TestCluster.place) to keep the random, often equal, start times.
            NodeInfo n = live.get(r.nextInt(nodes));
            PodInfo p = randomPod(r, "init-" + i, true).nodeName(n.name()).creationNanos(i).build();
            Resources a = n.allocatable();
            Resources q = p.requests();
            if (n.podCount() + 1 > a.pods() || n.requestedMilliCpu() + q.milliCpu() > a.milliCpu()
                    || n.requestedMemory() + q.memory() > a.memory()
                    || n.requestedEphemeral() + q.ephemeralStorage() > a.ephemeralStorage()) {
                continue; // keep the starting state within allocatable
            }
            n.addPod(p);
            c.pods.put(p.uid(), p);
            c.scheduler.onPodAdd(p);
        }
        if (r.nextBoolean()) {
            c.scheduler.onDisruptionBudget("default/db",
                    new Disruption("default", Selector.labels(Map.of("app", "db")), r.nextInt(3)));
        }
        if (r.nextInt(4) == 0) {
            c.scheduler.onDisruptionBudget("default/web",
                    new Disruption("default", Selector.labels(Map.of("app", "web")), r.nextInt(2)));
        }
        int ops = 20 + r.nextInt(60);
        int seq = 0;
        for (int i = 0; i < ops; i++) {
            int op = r.nextInt(13);
            if (op == 12) {
                // Cordon, uncordon, taint or untaint a node: by update, or by a repeated add.
                int k = r.nextInt(nodes);
                NodeInfo.NodeSpec old = specs.get(k);
                boolean taint = r.nextBoolean();
                NodeInfo.NodeSpec now = new NodeInfo.NodeSpec(old.name(), old.labels(),
                        taint ? (old.taints().isEmpty() ? List.of(new Taint("dedicated", "x", Taint.Effect.NO_EXECUTE))
                                : List.of()) : old.taints(),
                        old.allocatable(), taint ? old.unschedulable() : !old.unschedulable(), old.images());
                if (r.nextBoolean()) {
                    c.scheduler.onNodeUpdate(old, now);
                } else {
                    c.scheduler.onNodeAdd(now);
                }
                specs.set(k, now);
            } else if (op < 4) {
                c.add(randomPod(r, "p-" + seq++, false));
            } else if (op < 9) {
                c.scheduler.scheduleOne();
            } else if (op < 11) {
                c.applyPending();
            } else {
                c.now.advance(1_500_000_000L);
                c.scheduler.tick();
            }
        }
        c.run();
        return trace(c, attempts);
    }

    static PodInfo.Builder randomPod(SplittableRandom r, String name, boolean placed) {
        PodInfo.Builder b = PodInfo.builder("default", name)
                .priority(placed ? r.nextInt(4) : r.nextInt(7))
                .requests(new Resources(100 * (1 + r.nextInt(20)), (1 + r.nextInt(12)) * 128 * MI,
                        r.nextInt(3) == 0 ? 1000 * r.nextInt(4) : 0, 0,
                        !placed && r.nextInt(12) == 0 ? Map.of("example.com/gpu", 1L) : Map.of()))
                .labels(Map.of("app", r.nextBoolean() ? "db" : "web"))
                .startNanos(r.nextInt(50));
        if (placed) {
            return b;
        }
        int extra = r.nextInt(16);
        switch (extra) {
            case 0 -> b.hostPorts(List.of(new HostPort("TCP", HostPort.ANY_IP, 8080)));
            case 1 -> b.requiredAntiAffinity(List.of(AffinityTerm.required(Selector.labels(Map.of("app", "web")),
                    Set.of(), Labels.HOSTNAME)));
            case 2 -> b.spreadConstraints(List.of(SpreadConstraint.hard(1, Labels.ZONE,
                    Selector.labels(Map.of("app", "db")))));
            case 3 -> b.preemptNever(true);
            case 4 -> b.nodeSelector(Map.of("disk", "ssd"));
            case 5 -> b.tolerations(List.of(new Toleration(null, Toleration.Operator.EXISTS, null, null)));
            default -> { }
        }
        return b;
    }
}
