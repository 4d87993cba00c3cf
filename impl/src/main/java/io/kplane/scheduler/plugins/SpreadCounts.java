package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.NodeSelector;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.SpreadConstraint;
import io.kplane.scheduler.Toleration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matching-pod counts per topology domain for one set of hard spread constraints (and the node
 * inclusion inputs of the pod), maintained incrementally across scheduling cycles from the
 * snapshot's change log. Upstream recomputes these over every node in every PreFilter; pods of
 * one workload share constraints, so after the first cycle only the nodes that changed are
 * recounted. The result is identical to a full recount (a test pins that).
 */
final class SpreadCounts {

    /** What the counts depend on besides the nodes. */
    record Key(String namespace, List<SpreadConstraint> constraints, Map<String, String> nodeSelector,
            NodeSelector requiredAffinity, List<Toleration> tolerations) {
        static Key of(PodInfo pod, List<SpreadConstraint> constraints) {
            return new Key(pod.namespace(), constraints, pod.nodeSelector(), pod.requiredNodeAffinity(), pod.tolerations());
        }
    }

    /** What one node contributes: the domain value per constraint (null when not counted) and counts. */
    private record Contribution(String[] values, long[] counts) {}

    private final SpreadConstraint[] constraints;
    private final PodInfo pod;
    /** Per constraint: domain value to {matching pods, eligible nodes}. */
    final List<HashMap<String, long[]>> domains = new ArrayList<>();
    private final HashMap<String, Contribution> byNode = new HashMap<>();
    private long epoch = -1;
    private int position;

    SpreadCounts(PodInfo pod, SpreadConstraint[] constraints) {
        this.pod = pod;
        this.constraints = constraints;
        for (int i = 0; i < constraints.length; i++) {
            domains.add(new HashMap<>());
        }
    }

    /** Brings the counts up to date with the snapshot. */
    void sync(Snapshot snap) {
        if (epoch != snap.epoch()) {
            byNode.clear();
            for (HashMap<String, long[]> m : domains) {
                m.clear();
            }
            for (NodeInfo n : snap.nodes()) {
                apply(n);
            }
            epoch = snap.epoch();
            position = snap.changeCount();
            return;
        }
        int end = snap.changeCount();
        for (int i = position; i < end; i++) {
            String name = snap.change(i);
            remove(name);
            NodeInfo n = snap.get(name);
            if (n != null) {
                apply(n);
            }
        }
        position = end;
    }

    private void apply(NodeInfo n) {
        Map<String, String> labels = n.labels();
        if (!PodTopologySpread.hasAllKeys(labels, constraints)) {
            return;
        }
        String[] values = new String[constraints.length];
        long[] counts = new long[constraints.length];
        for (int i = 0; i < constraints.length; i++) {
            SpreadConstraint c = constraints[i];
            if (!PodTopologySpread.included(c, pod, n)) {
                continue;
            }
            String v = labels.get(c.topologyKey());
            values[i] = v;
            counts[i] = PodTopologySpread.countMatching(n.pods(), c.selector(), pod.namespace());
            long[] d = domains.get(i).computeIfAbsent(v, k -> new long[2]);
            d[0] += counts[i];
            d[1]++;
        }
        byNode.put(n.name(), new Contribution(values, counts));
    }

    private void remove(String name) {
        Contribution c = byNode.remove(name);
        if (c == null) {
            return;
        }
        for (int i = 0; i < constraints.length; i++) {
            String v = c.values()[i];
            if (v == null) {
                continue;
            }
            HashMap<String, long[]> m = domains.get(i);
            long[] d = m.get(v);
            d[0] -= c.counts()[i];
            if (--d[1] == 0) {
                m.remove(v);
            }
        }
    }
}
