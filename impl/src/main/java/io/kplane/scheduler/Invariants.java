package io.kplane.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Safety checks on a placement, for tests and benchmarks: no node over its allocatable, no
 * required anti-affinity violated, no DoNotSchedule topology spread skew beyond maxSkew. Each
 * returns the list of violations (empty when the invariant holds).
 */
public final class Invariants {

    private Invariants() {}

    /** All three checks. */
    public static List<String> check(List<NodeInfo> nodes, Map<String, Map<String, String>> namespaceLabels) {
        List<String> v = new ArrayList<>(resourcesWithinAllocatable(nodes));
        v.addAll(antiAffinityRespected(nodes, namespaceLabels));
        v.addAll(spreadWithinMaxSkew(nodes));
        return v;
    }

    public static List<String> resourcesWithinAllocatable(List<NodeInfo> nodes) {
        List<String> v = new ArrayList<>();
        for (NodeInfo n : nodes) {
            long cpu = 0;
            long mem = 0;
            long eph = 0;
            Map<String, Long> scalars = new HashMap<>();
            for (PodInfo p : n.pods()) {
                cpu += p.requests().milliCpu();
                mem += p.requests().memory();
                eph += p.requests().ephemeralStorage();
                p.requests().scalars().forEach((k, x) -> scalars.merge(k, x, Long::sum));
            }
            Resources a = n.allocatable();
            if (cpu > a.milliCpu()) v.add(n.name() + ": cpu " + cpu + "m > " + a.milliCpu() + "m");
            if (mem > a.memory()) v.add(n.name() + ": memory " + mem + " > " + a.memory());
            if (eph > a.ephemeralStorage() && eph > 0) v.add(n.name() + ": ephemeral-storage " + eph + " > " + a.ephemeralStorage());
            if (n.podCount() > a.pods()) v.add(n.name() + ": " + n.podCount() + " pods > " + a.pods());
            scalars.forEach((k, x) -> {
                if (x > a.scalar(k)) v.add(n.name() + ": " + k + " " + x + " > " + a.scalar(k));
            });
        }
        return v;
    }

    public static List<String> antiAffinityRespected(List<NodeInfo> nodes, Map<String, Map<String, String>> nsLabels) {
        List<String> v = new ArrayList<>();
        // (topologyKey -> value -> pods in that domain), built lazily per key used by some term.
        Map<String, Map<String, List<PodInfo>>> domains = new HashMap<>();
        for (NodeInfo n : nodes) {
            for (PodInfo p : n.podsWithRequiredAntiAffinity()) {
                for (AffinityTerm t : p.requiredAntiAffinity()) {
                    String value = n.labels().get(t.topologyKey());
                    if (value == null) {
                        continue;
                    }
                    Map<String, List<PodInfo>> byValue = domains.computeIfAbsent(t.topologyKey(), k -> index(nodes, k));
                    for (PodInfo other : byValue.getOrDefault(value, List.of())) {
                        if (!other.uid().equals(p.uid()) && !other.terminating()
                                && t.matches(other, nsLabels.getOrDefault(other.namespace(), Map.of()))) {
                            v.add(p.key() + " on " + n.name() + " shares " + t.topologyKey() + "=" + value + " with "
                                    + other.key() + " against its required anti-affinity");
                        }
                    }
                }
            }
        }
        return v;
    }

    private static Map<String, List<PodInfo>> index(List<NodeInfo> nodes, String key) {
        Map<String, List<PodInfo>> m = new HashMap<>();
        for (NodeInfo n : nodes) {
            String value = n.labels().get(key);
            if (value != null) {
                m.computeIfAbsent(value, k -> new ArrayList<>()).addAll(n.pods());
            }
        }
        return m;
    }

    public static List<String> spreadWithinMaxSkew(List<NodeInfo> nodes) {
        List<String> v = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (NodeInfo n : nodes) {
            for (PodInfo p : n.pods()) {
                for (SpreadConstraint c : p.spreadConstraints()) {
                    if (!c.doNotSchedule()) {
                        continue;
                    }
                    String id = p.namespace() + "|" + c;
                    if (seen.putIfAbsent(id, Boolean.TRUE) != null) {
                        continue;
                    }
                    Map<String, long[]> counts = new HashMap<>();
                    for (NodeInfo m : nodes) {
                        String value = m.labels().get(c.topologyKey());
                        if (value == null || (c.honorNodeAffinity() && !p.matchesNodeSelectorAndAffinity(m.node()))) {
                            continue;
                        }
                        long[] cnt = counts.computeIfAbsent(value, k -> new long[1]);
                        for (PodInfo q : m.pods()) {
                            if (!q.terminating() && q.namespace().equals(p.namespace()) && c.selector().matches(q.labels())) {
                                cnt[0]++;
                            }
                        }
                    }
                    long min = counts.size() < c.minDomains() ? 0
                            : counts.values().stream().mapToLong(x -> x[0]).min().orElse(0);
                    long max = counts.values().stream().mapToLong(x -> x[0]).max().orElse(0);
                    if (max - min > c.maxSkew()) {
                        v.add("spread " + c.topologyKey() + " for " + c.selector() + " in " + p.namespace() + ": skew "
                                + (max - min) + " > maxSkew " + c.maxSkew());
                    }
                }
            }
        }
        return v;
    }
}
