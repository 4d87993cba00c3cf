package io.kplane.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node with the aggregate of the pods on it (assumed pods included): requested and non-zero
 * requested resources, used host ports, and the pods with (anti-)affinity that the
 * InterPodAffinity plugin scans. Single writer: the scheduler cache owns the live instances;
 * snapshots hold copies.
 */
public final class NodeInfo {

    /** The node object as the scheduler sees it. Images map name to size in bytes. */
    public record NodeSpec(String name, Map<String, String> labels, List<Taint> taints, Resources allocatable,
            boolean unschedulable, Map<String, Long> images) {
        public NodeSpec {
            labels = Map.copyOf(labels);
            taints = List.copyOf(taints);
            images = Map.copyOf(images);
        }

        public static NodeSpec of(String name, Map<String, String> labels, Resources allocatable) {
            return new NodeSpec(name, labels, List.of(), allocatable, false, Map.of());
        }
    }

    private NodeSpec node;
    private long requestedMilliCpu;
    private long requestedMemory;
    private long requestedEphemeral;
    private Map<String, Long> requestedScalars;
    private long nonZeroMilliCpu;
    private long nonZeroMemory;
    private final ArrayList<PodInfo> pods;
    private final ArrayList<PodInfo> podsWithAffinity;
    private final ArrayList<PodInfo> podsWithRequiredAntiAffinity;
    private final ArrayList<HostPort> usedPorts;
    /** Built on first use, dropped on every change of the pods (copies share it: same pods, same order). */
    private VictimIndex victimIndex;
    long generation;

    public NodeInfo(NodeSpec node) {
        this.node = node;
        this.requestedScalars = Map.of();
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>(0);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(0);
        this.usedPorts = new ArrayList<>(0);
    }

    private NodeInfo(NodeInfo o) {
        this.node = o.node;
        this.requestedMilliCpu = o.requestedMilliCpu;
        this.requestedMemory = o.requestedMemory;
        this.requestedEphemeral = o.requestedEphemeral;
        this.requestedScalars = o.requestedScalars.isEmpty() ? Map.of() : new HashMap<>(o.requestedScalars);
        this.nonZeroMilliCpu = o.nonZeroMilliCpu;
        this.nonZeroMemory = o.nonZeroMemory;
        this.pods = new ArrayList<>(o.pods);
        this.podsWithAffinity = o.podsWithAffinity.isEmpty() ? new ArrayList<>(0) : new ArrayList<>(o.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = o.podsWithRequiredAntiAffinity.isEmpty() ? new ArrayList<>(0)
                : new ArrayList<>(o.podsWithRequiredAntiAffinity);
        this.usedPorts = o.usedPorts.isEmpty() ? new ArrayList<>(0) : new ArrayList<>(o.usedPorts);
        this.generation = o.generation;
        this.victimIndex = o.victimIndex;
    }

    /** A deep-enough copy: the copy's aggregates and lists are independent of this one. */
    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    public NodeSpec node() { return node; }
    public String name() { return node.name(); }
    public Map<String, String> labels() { return node.labels(); }
    public Resources allocatable() { return node.allocatable(); }
    public long requestedMilliCpu() { return requestedMilliCpu; }
    public long requestedMemory() { return requestedMemory; }
    public long requestedEphemeral() { return requestedEphemeral; }
    public long requestedScalar(String name) {
        Long v = requestedScalars.get(name);
        return v == null ? 0 : v;
    }
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public List<PodInfo> pods() { return pods; }
    public int podCount() { return pods.size(); }
    public List<PodInfo> podsWithAffinity() { return podsWithAffinity; }
    public List<PodInfo> podsWithRequiredAntiAffinity() { return podsWithRequiredAntiAffinity; }
    public List<HostPort> usedPorts() { return usedPorts; }
    public long generation() { return generation; }

    /** The pods ordered for preemption, with suffix sums of their requests. */
    public VictimIndex victimIndex() {
        VictimIndex v = victimIndex;
        if (v == null) {
            v = victimIndex = VictimIndex.of(pods);
        }
        return v;
    }

    void setNode(NodeSpec spec) {
        this.node = spec;
    }

    /** Adds a pod's requests and ports to the aggregates. */
    public void addPod(PodInfo pod) {
        victimIndex = null;
        pods.add(pod);
        if (pod.hasAffinity()) {
            podsWithAffinity.add(pod);
        }
        if (!pod.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity.add(pod);
        }
        adjust(pod, 1);
        if (!pod.hostPorts().isEmpty()) {
            usedPorts.addAll(pod.hostPorts());
        }
    }

    /** Removes a pod (by uid); returns false if it was not on this node. */
    public boolean removePod(PodInfo pod) {
        String uid = pod.uid();
        int idx = -1;
        // Identity first: callers usually pass the very object stored here (no uid loads).
        for (int i = pods.size() - 1; i >= 0; i--) {
            if (pods.get(i) == pod) {
                idx = i;
                break;
            }
        }
        if (idx < 0) {
            idx = indexOf(pods, uid);
        }
        if (idx < 0) {
            return false;
        }
        PodInfo stored = pods.get(idx);
        victimIndex = null;
        swapRemove(pods, idx);
        if (!podsWithAffinity.isEmpty()) {
            int i = indexOf(podsWithAffinity, uid);
            if (i >= 0) {
                swapRemove(podsWithAffinity, i);
            }
        }
        if (!podsWithRequiredAntiAffinity.isEmpty()) {
            int i = indexOf(podsWithRequiredAntiAffinity, uid);
            if (i >= 0) {
                swapRemove(podsWithRequiredAntiAffinity, i);
            }
        }
        adjust(stored, -1);
        for (int i = 0; i < stored.hostPorts().size(); i++) {
            usedPorts.remove(stored.hostPorts().get(i));
        }
        return true;
    }

    private static int indexOf(List<PodInfo> list, String uid) {
        for (int i = list.size() - 1; i >= 0; i--) {
            String u = list.get(i).uid();
            if (u == uid || u.equals(uid)) {
                return i;
            }
        }
        return -1;
    }

    private static void swapRemove(ArrayList<PodInfo> list, int idx) {
        int last = list.size() - 1;
        list.set(idx, list.get(last));
        list.remove(last);
    }

    private void adjust(PodInfo pod, int sign) {
        Resources r = pod.requests();
        requestedMilliCpu += sign * r.milliCpu();
        requestedMemory += sign * r.memory();
        requestedEphemeral += sign * r.ephemeralStorage();
        nonZeroMilliCpu += sign * pod.nonZeroMilliCpu();
        nonZeroMemory += sign * pod.nonZeroMemory();
        if (!r.scalars().isEmpty()) {
            if (requestedScalars.isEmpty()) {
                requestedScalars = new HashMap<>();
            }
            for (Map.Entry<String, Long> e : r.scalars().entrySet()) {
                requestedScalars.merge(e.getKey(), sign * e.getValue(), Long::sum);
            }
        }
    }

    @Override
    public String toString() {
        return node.name() + "[" + pods.size() + " pods, cpu " + requestedMilliCpu + "/" + node.allocatable().milliCpu()
                + "m]";
    }
}
