package io.kplane.bench.scheduler;

import io.kplane.scheduler.AffinityTerm;
import io.kplane.scheduler.Labels;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.NodeSelector;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Requirement;
import io.kplane.scheduler.Resources;
import io.kplane.scheduler.Selector;
import io.kplane.scheduler.SpreadConstraint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A scheduler_perf workload: node shape and count, init pods (not measured), measured pods, and
 * the upstream threshold in pods/s. Node: 4 CPU, 32 GiB, 110 pods; pods 100m/500Mi unless the
 * upstream template says otherwise.
 */
record Workload(String name, int nodes, IntFunction<Map<String, String>> nodeLabels, int initPods,
        IntFunction<PodInfo.Builder> initPod, int measurePods, IntFunction<PodInfo.Builder> measurePod,
        double threshold, boolean churn) {

    static final long MI = 1024L * 1024;
    static final long GI = 1024 * MI;
    static final Resources NODE = Resources.of(4000, 32 * GI, 110);

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    NodeInfo.NodeSpec node(int i) {
        String name = "node-" + i;
        Map<String, String> l = new HashMap<>(nodeLabels.apply(i));
        l.put(Labels.HOSTNAME, name);
        return NodeInfo.NodeSpec.of(name, l, NODE);
    }

    static PodInfo.Builder basic(String ns, String name) {
        return PodInfo.builder(ns, name).requests(100, 500 * MI);
    }

    /** The workloads; {@code scale} divides node and pod counts (quick mode). */
    static List<Workload> all(int scale) {
        int n5000 = 5000 / scale;
        IntFunction<Map<String, String>> plain = i -> Map.of();
        IntFunction<Map<String, String>> zone1 = i -> labels(Labels.ZONE, "zone1");
        IntFunction<Map<String, String>> moons = i -> labels(Labels.ZONE, "moon-" + (i % 3 + 1));
        IntFunction<PodInfo.Builder> defaultPod = i -> basic("default", "init-" + i);

        Selector green = Selector.labels(Map.of("color", "green"));
        IntFunction<PodInfo.Builder> anti = i -> basic("sched-1", "anti-" + i).labels(Map.of("color", "green"))
                .requiredAntiAffinity(List.of(AffinityTerm.required(green, Set.of("sched-0", "sched-1"), Labels.HOSTNAME)));
        IntFunction<PodInfo.Builder> antiInit = i -> basic("sched-0", "anti-init-" + i).labels(Map.of("color", "green"))
                .requiredAntiAffinity(List.of(AffinityTerm.required(green, Set.of("sched-0", "sched-1"), Labels.HOSTNAME)));

        Selector blue = Selector.labels(Map.of("color", "blue"));
        IntFunction<PodInfo.Builder> affinity = i -> basic("sched-1", "aff-" + i).labels(Map.of("color", "blue"))
                .requiredAffinity(List.of(AffinityTerm.required(blue, Set.of("sched-0", "sched-1"), Labels.ZONE)));
        IntFunction<PodInfo.Builder> affinityInit = i -> basic("sched-0", "aff-init-" + i).labels(Map.of("color", "blue"))
                .requiredAffinity(List.of(AffinityTerm.required(blue, Set.of("sched-0", "sched-1"), Labels.ZONE)));

        NodeSelector zones12 = new NodeSelector(List.of(new NodeSelector.Term(
                List.of(new Requirement(Labels.ZONE, Requirement.Op.IN, List.of("zone1", "zone2"))), List.of())));
        IntFunction<PodInfo.Builder> nodeAff = i -> basic("default", "naff-" + i).requiredNodeAffinity(zones12);
        IntFunction<PodInfo.Builder> nodeAffInit = i -> basic("default", "naff-init-" + i).requiredNodeAffinity(zones12);

        IntFunction<PodInfo.Builder> spread = i -> basic("default", "spread-" + i).labels(Map.of("color", "blue"))
                .spreadConstraints(List.of(SpreadConstraint.hard(5, Labels.ZONE, blue)));

        IntFunction<PodInfo.Builder> low = i -> PodInfo.builder("default", "low-" + i).requests(900, 500 * MI).priority(0);
        IntFunction<PodInfo.Builder> high = i -> PodInfo.builder("default", "high-" + i).requests(3000, 500 * MI).priority(10);

        return List.of(
                new Workload("SchedulingBasic", n5000, plain, 1000 / scale, defaultPod, 10000 / scale,
                        i -> basic("default", "pod-" + i), 680, false),
                new Workload("SchedulingPodAntiAffinity", n5000, plain, 1000 / scale, antiInit, 2000 / scale, anti, 60, false),
                new Workload("SchedulingPodAffinity", n5000, zone1, 5000 / scale, affinityInit, 5000 / scale, affinity, 35, false),
                new Workload("SchedulingNodeAffinity", n5000, zone1, 5000 / scale, nodeAffInit, 10000 / scale, nodeAff, 220, false),
                new Workload("TopologySpreading", n5000, moons, 5000 / scale, defaultPod, 5000 / scale, spread, 460, false),
                new Workload("PreemptionAsync", n5000, plain, 20000 / scale, low, 5000 / scale, high, 570, false),
                new Workload("SchedulingWithMixedChurn", n5000, plain, 0, defaultPod, 2000 / scale,
                        i -> basic("default", "pod-" + i), 710, true));
    }
}
