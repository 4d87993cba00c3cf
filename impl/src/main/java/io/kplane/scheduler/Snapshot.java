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
    /** What NodeResourcesFit reads of each node, by position, for scans that touch no NodeInfo. */
    Resources[] allocatable = new Resources[0];
    int[] podCounts = new int[0];
    long[] requestedMilliCpu = new long[0];
    long[] requestedMemory = new long[0];
    long[] requestedEphemeral = new long[0];

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

    /** Allocatable of the node at {@code position} (same as {@code nodes().get(position).allocatable()}). */
    public Resources allocatableAt(int position) {
        return allocatable[position];
    }

    /** Pod count of the node at {@code position}. */
    public int podCountAt(int position) {
        return podCounts[position];
    }

    /** Summed CPU requests (millicores) of the pods on the node at {@code position}. */
    public long requestedMilliCpuAt(int position) {
        return requestedMilliCpu[position];
    }

    /** Summed memory requests of the pods on the node at {@code position}. */
    public long requestedMemoryAt(int position) {
        return requestedMemory[position];
    }

    /** Summed ephemeral-storage requests of the pods on the node at {@code position}. */
    public long requestedEphemeralAt(int position) {
        return requestedEphemeral[position];
    }

    /** Copies what the position arrays hold of the node now at {@code position}. */
    void record(int position, NodeInfo n) {
        allocatable[position] = n.allocatable();
        podCounts[position] = n.podCount();
        requestedMilliCpu[position] = n.requestedMilliCpu();
        requestedMemory[position] = n.requestedMemory();
        requestedEphemeral[position] = n.requestedEphemeral();
    }

    /** Rebuilds the position arrays after the node order changed. */
    void recordAll() {
        int n = list.size();
        if (podCounts.length != n) {
            allocatable = new Resources[n];
            podCounts = new int[n];
            requestedMilliCpu = new long[n];
            requestedMemory = new long[n];
            requestedEphemeral = new long[n];
        }
        for (int i = 0; i < n; i++) {
            record(i, list.get(i));
        }
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
