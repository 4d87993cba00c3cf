package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Topology-pair counts summed over all nodes, each node contributing (output, key, value, delta)
 * entries computed by a function of that node alone; kept up to date across scheduling cycles from
 * the snapshot's change log, so only changed nodes are recomputed. Used by InterPodAffinity, whose
 * upstream form rescans every pod with affinity in every cycle. Equal to a full recount.
 */
final class NodeAggregate {

    /** Receives one node's contributions. */
    interface Sink {
        void add(int output, String key, String value, long delta);
    }

    /** Computes one node's contributions. */
    @FunctionalInterface
    interface Contributor {
        void contribute(NodeInfo node, Sink sink);
    }

    private record Entry(int output, String key, String value, long delta) {}

    final TopologyCounts[] outputs;
    private final Contributor contributor;
    private final HashMap<String, Entry[]> byNode = new HashMap<>();
    private final ArrayList<Entry> scratch = new ArrayList<>();
    private long epoch = -1;
    private int position;

    NodeAggregate(int outputs, Contributor contributor) {
        this.outputs = new TopologyCounts[outputs];
        for (int i = 0; i < outputs; i++) {
            this.outputs[i] = new TopologyCounts();
        }
        this.contributor = contributor;
    }

    void sync(Snapshot snap) {
        if (epoch != snap.epoch()) {
            byNode.clear();
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = new TopologyCounts();
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
            Entry[] old = byNode.remove(name);
            if (old != null) {
                for (Entry e : old) {
                    outputs[e.output()].add(e.key(), e.value(), -e.delta());
                }
            }
            NodeInfo n = snap.get(name);
            if (n != null) {
                apply(n);
            }
        }
        position = end;
    }

    private void apply(NodeInfo n) {
        scratch.clear();
        contributor.contribute(n, (o, k, v, d) -> scratch.add(new Entry(o, k, v, d)));
        if (scratch.isEmpty()) {
            return;
        }
        Entry[] entries = scratch.toArray(new Entry[0]);
        for (Entry e : entries) {
            outputs[e.output()].add(e.key(), e.value(), e.delta());
        }
        byNode.put(n.name(), entries);
    }
}
