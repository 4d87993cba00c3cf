package io.kplane.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state a scheduling cycle reads: copies of the cache's node infos, in zone-interleaved order
 * (as upstream's node tree), plus namespace labels, PDBs, workload selectors for default spreading
 * and image spread. Updated incrementally by {@link SchedulerCache#updateSnapshot}: only nodes
 * whose generation moved are copied again.
 */
public final class Snapshot {

    final HashMap<String, NodeInfo> byName = new HashMap<>();
    final ArrayList<NodeInfo> list = new ArrayList<>();
    final HashMap<String, Integer> position = new HashMap<>();
    final ArrayList<NodeInfo> withAffinity = new ArrayList<>();
    final ArrayList<NodeInfo> withRequiredAntiAffinity = new ArrayList<>();
    Map<String, Map<String, String>> namespaceLabels = Map.of();
    List<Disruption> disruptions = List.of();
    Map<String, List<Selector>> serviceSelectors = Map.of();
    final HashMap<String, Integer> imageNodeCounts = new HashMap<>();
    long generation = -1;
    /** Bumped whenever the node set or order is rebuilt; incremental consumers then start over. */
    long epoch;
    /** Names of nodes replaced since the epoch began, in order (consumers keep a read position). */
    final ArrayList<String> changes = new ArrayList<>();
    int unschedulableNodes;
    int hardTaintedNodes;

    /** All nodes, in evaluation order. */
    public List<NodeInfo> nodes() {
        return list;
    }

    public NodeInfo get(String nodeName) {
        return byName.get(nodeName);
    }

    /** Position of a node in {@link #nodes()}, or -1. */
    public int indexOf(String nodeName) {
        Integer i = position.get(nodeName);
        return i == null ? -1 : i;
    }

    public int size() {
        return list.size();
    }

    /** Nodes with {@code spec.unschedulable} set. */
    public int unschedulableNodeCount() {
        return unschedulableNodes;
    }

    /** Nodes with at least one NoSchedule or NoExecute taint. */
    public int hardTaintedNodeCount() {
        return hardTaintedNodes;
    }

    /** Adds ({@code sign} 1) or removes (-1) a node spec from the counts above. */
    void count(NodeInfo.NodeSpec spec, int sign) {
        if (spec.unschedulable()) {
            unschedulableNodes += sign;
        }
        for (Taint t : spec.taints()) {
            if (t.effect() != Taint.Effect.PREFER_NO_SCHEDULE) {
                hardTaintedNodes += sign;
                break;
            }
        }
    }

    public long epoch() {
        return epoch;
    }

    /** Number of node replacements recorded in this epoch. */
    public int changeCount() {
        return changes.size();
    }

    /** Name of the i-th node replaced in this epoch. */
    public String change(int i) {
        return changes.get(i);
    }

    /** Nodes that have at least one pod with (anti-)affinity. */
    public List<NodeInfo> nodesWithAffinityPods() {
        return withAffinity;
    }

    /** Nodes that have at least one pod with required anti-affinity. */
    public List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
        return withRequiredAntiAffinity;
    }

    public Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> l = namespaceLabels.get(namespace);
        return l == null ? Map.of() : l;
    }

    public List<Disruption> disruptions() {
        return disruptions;
    }

    /** Selectors of services in the namespace (for default topology spreading). */
    public List<Selector> serviceSelectors(String namespace) {
        List<Selector> l = serviceSelectors.get(namespace);
        return l == null ? List.of() : l;
    }

    /** On how many nodes an image is present. */
    public int imageNodeCount(String image) {
        Integer c = imageNodeCounts.get(image);
        return c == null ? 0 : c;
    }
}
