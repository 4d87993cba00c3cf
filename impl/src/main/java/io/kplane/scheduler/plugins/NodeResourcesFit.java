package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Resources;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.QueueingHint;
import io.kplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/**
 * Filter: the node's allocatable must cover what its pods request plus the pod's requests (cpu,
 * memory, ephemeral storage, extended resources) and the pod count. A request that exceeds the
 * node's whole allocatable is unresolvable (no preemption can help). Score: a {@link
 * ScoringStrategy} over non-zero requests, LeastAllocated by default.
 */
public final class NodeResourcesFit implements Plugin.Filter, Plugin.Score {
    public static final String NAME = "NodeResourcesFit";
    private static final Status TOO_MANY_PODS = Status.unschedulable(NAME, "Too many pods");
    private static final Status CPU = Status.unschedulable(NAME, "Insufficient cpu");
    private static final Status MEMORY = Status.unschedulable(NAME, "Insufficient memory");
    private static final Status EPHEMERAL = Status.unschedulable(NAME, "Insufficient ephemeral-storage");
    private static final Status CPU_NEVER = Status.unresolvable(NAME, "Insufficient cpu");
    private static final Status MEMORY_NEVER = Status.unresolvable(NAME, "Insufficient memory");
    private static final Status EPHEMERAL_NEVER = Status.unresolvable(NAME, "Insufficient ephemeral-storage");

    private final ScoringStrategy strategy;
    private final ResourceWeight.Resolved[] resources;
    private final long[] requested;
    private final long[] allocatable;
    private final long[] weights;

    public NodeResourcesFit() {
        this(new ScoringStrategy.LeastAllocated(), ResourceWeight.DEFAULT);
    }

    public NodeResourcesFit(ScoringStrategy strategy, List<ResourceWeight> resources) {
        this.strategy = strategy;
        this.resources = resources.stream().map(ResourceWeight::resolve).toArray(ResourceWeight.Resolved[]::new);
        this.requested = new long[resources.size()];
        this.allocatable = new long[resources.size()];
        this.weights = new long[resources.size()];
        for (int i = 0; i < this.resources.length; i++) {
            weights[i] = this.resources[i].weight();
        }
    }

    @Override
    public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Resources alloc = node.allocatable();
        Status s = fits(pod, alloc, node.podCount(), node.requestedMilliCpu(), node.requestedMemory(),
                node.requestedEphemeral());
        if (s != Status.SUCCESS) {
            return s;
        }
        Resources req = pod.requests();
        if (!req.scalars().isEmpty()) {
            for (Map.Entry<String, Long> e : req.scalars().entrySet()) {
                long want = e.getValue();
                long cap = alloc.scalar(e.getKey());
                if (want > 0 && want > cap - node.requestedScalar(e.getKey())) {
                    String reason = "Insufficient " + e.getKey();
                    return want > cap ? Status.unresolvable(NAME, reason) : Status.unschedulable(NAME, reason);
                }
            }
        }
        return Status.SUCCESS;
    }

    /**
     * The filter on plain numbers: a node with {@code pods} pods requesting the given amounts. Also
     * used by preemption's arithmetic dry run, so both agree by construction. Extended resources
     * are checked by {@link #filter} only.
     */
    public static Status fits(PodInfo pod, Resources alloc, int pods, long requestedMilliCpu, long requestedMemory,
            long requestedEphemeral) {
        if (pods + 1 > alloc.pods()) {
            return TOO_MANY_PODS;
        }
        Resources req = pod.requests();
        long cpu = req.milliCpu();
        if (cpu > 0 && cpu > alloc.milliCpu() - requestedMilliCpu) {
            return cpu > alloc.milliCpu() ? CPU_NEVER : CPU;
        }
        long mem = req.memory();
        if (mem > 0 && mem > alloc.memory() - requestedMemory) {
            return mem > alloc.memory() ? MEMORY_NEVER : MEMORY;
        }
        long eph = req.ephemeralStorage();
        if (eph > 0 && eph > alloc.ephemeralStorage() - requestedEphemeral) {
            return eph > alloc.ephemeralStorage() ? EPHEMERAL_NEVER : EPHEMERAL;
        }
        return Status.SUCCESS;
    }

    /**
     * The second pass of {@code RunFilterPluginsWithNominatedPods} on sums, for a node on which
     * {@link #fits} already accepted the pod: pods nominated to the node with at least the pod's
     * priority (other than the pod itself) count as if they were running there.
     */
    public static Status fitsWithNominated(PodInfo pod, Resources alloc, int pods, long requestedMilliCpu,
            long requestedMemory, long requestedEphemeral, List<PodInfo> nominated) {
        int n = 0;
        long cpu = 0;
        long mem = 0;
        long eph = 0;
        for (int i = 0; i < nominated.size(); i++) {
            PodInfo np = nominated.get(i);
            if (np.priority() >= pod.priority() && !np.uid().equals(pod.uid())) {
                Resources r = np.requests();
                n++;
                cpu += r.milliCpu();
                mem += r.memory();
                eph += r.ephemeralStorage();
            }
        }
        return n == 0 ? Status.SUCCESS
                : fits(pod, alloc, pods + n, requestedMilliCpu + cpu, requestedMemory + mem, requestedEphemeral + eph);
    }

    /** Does the pod fit an empty node of this shape at all? (queueing hint for node events) */
    static boolean fitsEmpty(PodInfo pod, NodeInfo.NodeSpec node) {
        Resources a = node.allocatable();
        Resources r = pod.requests();
        if (r.milliCpu() > a.milliCpu() || r.memory() > a.memory() || r.ephemeralStorage() > a.ephemeralStorage()) {
            return false;
        }
        for (Map.Entry<String, Long> e : r.scalars().entrySet()) {
            if (e.getValue() > a.scalar(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        int n = resources.length;
        for (int i = 0; i < n; i++) {
            ResourceWeight.Resolved r = resources[i];
            if (r.isScalar() && r.podRequest(pod) == 0) {
                // Upstream bypasses an extended resource the pod does not request: (0, 0) scores nothing.
                allocatable[i] = 0;
                requested[i] = 0;
                continue;
            }
            allocatable[i] = r.allocatable(node);
            requested[i] = r.requested(node, pod, true);
        }
        return strategy.score(requested, allocatable, weights, n);
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(
                EventRegistration.of(ClusterEvent.Resource.ASSIGNED_POD,
                        ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN),
                EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE,
                        (pod, oldObj, newObj) -> newObj instanceof NodeInfo.NodeSpec n && !fitsEmpty(pod, n)
                                ? QueueingHint.SKIP : QueueingHint.QUEUE));
    }
}
