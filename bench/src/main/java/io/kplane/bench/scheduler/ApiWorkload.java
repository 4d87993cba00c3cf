package io.kplane.bench.scheduler;

import io.kplane.model.Json;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A scheduler_perf workload as API objects, for the end-to-end run through the API server: the
 * node template, the init pods (created and scheduled first, not measured) and the measured pods,
 * written as JSON the way scheduler_perf writes its YAML templates (node-default, pod-default,
 * pod-with-pod-anti-affinity, …). Shapes follow {@link Workload} (the in-memory variant): nodes of
 * 4 CPU, 32 GiB, 110 pods; pods requesting 100m/500Mi unless the workload says otherwise.
 *
 * @param namespaces      namespaces to create besides {@code default}
 * @param priorityClasses name=value pairs of PriorityClasses to create first
 * @param churn           whether {@link ApiChurn} recreates a node, a pod and a service every interval
 *                        while the measured pods are placed (SchedulingWithMixedChurn)
 */
record ApiWorkload(String name, int nodes, IntFunction<String> nodeLabels, int initPods, IntFunction<Pod> initPod,
        int measurePods, IntFunction<Pod> measurePod, double threshold, List<String> namespaces,
        List<String> priorityClasses, boolean churn) {

    /** A Node named {@code node-i} with the workload's labels; status as a hollow node would report. */
    Node node(int i) {
        String name = "node-" + i;
        String extra = nodeLabels.apply(i);
        return Json.read("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"%s}},
                 "spec":{},
                 "status":{"capacity":{"cpu":"4","memory":"32Gi","pods":"110"},
                           "allocatable":{"cpu":"4","memory":"32Gi","pods":"110"},
                           "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}
                """.formatted(name, name, extra.isEmpty() ? "" : "," + extra), Node.class);
    }

    static Pod pod(String ns, String name, String labels, String cpu, String memory, String extraSpec) {
        return Json.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"%s","name":"%s","labels":{%s}},
                 "spec":{"containers":[{"name":"pause","image":"registry.k8s.io/pause:3.10",
                          "resources":{"requests":{"cpu":"%s","memory":"%s"},"limits":{"cpu":"%s","memory":"%s"}}}]%s}}
                """.formatted(ns, name, labels, cpu, memory, cpu, memory, extraSpec.isEmpty() ? "" : "," + extraSpec),
                Pod.class);
    }

    static Pod basic(String ns, String name) {
        return pod(ns, name, "", "100m", "500Mi", "");
    }

    private static String requiredPodAffinity(String kind, String color, String topologyKey) {
        return """
                "affinity":{"%s":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"color":"%s"}},"namespaces":["sched-0","sched-1"],"topologyKey":"%s"}]}}
                """.formatted(kind, color, topologyKey);
    }

    private static final String ZONES_1_2 = """
            "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchExpressions":[{"key":"topology.kubernetes.io/zone","operator":"In","values":["zone1","zone2"]}]}]}}}
            """;

    private static final String SPREAD_ZONES = """
            "topologySpreadConstraints":[{"maxSkew":5,"topologyKey":"topology.kubernetes.io/zone",
              "whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"color":"blue"}}}]
            """;

    /**
     * The workloads; {@code scale} divides node and pod counts ({@code --quick}: 10, so
     * SchedulingBasic is 500 nodes, 100 init and 1000 measured pods).
     */
    static List<ApiWorkload> all(int scale) {
        int n = 5000 / scale;
        IntFunction<String> plain = i -> "";
        IntFunction<String> zone1 = i -> "\"topology.kubernetes.io/zone\":\"zone1\"";
        IntFunction<String> moons = i -> "\"topology.kubernetes.io/zone\":\"moon-" + (i % 3 + 1) + "\"";
        List<String> sched = List.of("sched-0", "sched-1");
        String green = "\"color\":\"green\"";
        String blue = "\"color\":\"blue\"";
        String anti = requiredPodAffinity("podAntiAffinity", "green", "kubernetes.io/hostname");
        String aff = requiredPodAffinity("podAffinity", "blue", "topology.kubernetes.io/zone");
        // No kubelet completes a graceful deletion here, so preemption victims go at once (as a
        // kubelet that stops a pause container at once would let them).
        String low = "\"priorityClassName\":\"low\",\"priority\":0,\"terminationGracePeriodSeconds\":0";
        String high = "\"priorityClassName\":\"high\",\"priority\":10";
        List<ApiWorkload> out = new ArrayList<>();
        out.add(new ApiWorkload("SchedulingBasic", n, plain, 1000 / scale, i -> basic("default", "init-" + i),
                10000 / scale, i -> basic("default", "pod-" + i), 680, List.of(), List.of(), false));
        out.add(new ApiWorkload("SchedulingPodAntiAffinity", n, plain,
                1000 / scale, i -> pod("sched-0", "anti-init-" + i, green, "100m", "500Mi", anti),
                2000 / scale, i -> pod("sched-1", "anti-" + i, green, "100m", "500Mi", anti), 60, sched, List.of(), false));
        out.add(new ApiWorkload("SchedulingPodAffinity", n, zone1,
                5000 / scale, i -> pod("sched-0", "aff-init-" + i, blue, "100m", "500Mi", aff),
                5000 / scale, i -> pod("sched-1", "aff-" + i, blue, "100m", "500Mi", aff), 35, sched, List.of(), false));
        out.add(new ApiWorkload("SchedulingNodeAffinity", n, zone1,
                5000 / scale, i -> pod("default", "naff-init-" + i, "", "100m", "500Mi", ZONES_1_2),
                10000 / scale, i -> pod("default", "naff-" + i, "", "100m", "500Mi", ZONES_1_2), 220, List.of(), List.of(), false));
        out.add(new ApiWorkload("TopologySpreading", n, moons, 5000 / scale, i -> basic("default", "init-" + i),
                5000 / scale, i -> pod("default", "spread-" + i, blue, "100m", "500Mi", SPREAD_ZONES), 460, List.of(),
                List.of(), false));
        out.add(new ApiWorkload("PreemptionAsync", n, plain,
                20000 / scale, i -> pod("default", "low-" + i, "", "900m", "500Mi", low),
                5000 / scale, i -> pod("default", "high-" + i, "", "3", "500Mi", high), 570, List.of(),
                List.of("low=0", "high=10"), false));
        // no init pods; the churn's unschedulable pods are high priority (class "high", 10)
        out.add(new ApiWorkload("SchedulingWithMixedChurn", n, plain, 0, i -> basic("default", "init-" + i),
                2000 / scale, i -> basic("default", "pod-" + i), 710, List.of(),
                List.of(ApiChurn.HIGH_PRIORITY_CLASS + "=10"), true));
        return out;
    }

    static List<ApiWorkload> select(List<ApiWorkload> all, List<String> names) {
        if (names.isEmpty()) {
            return all;
        }
        List<ApiWorkload> out = new ArrayList<>();
        for (ApiWorkload w : all) {
            if (names.stream().anyMatch(w.name()::equalsIgnoreCase)) {
                out.add(w);
            }
        }
        return out;
    }
}
