package io.kplane.scheduler;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A node's pods ordered most important first (upstream {@code MoreImportantPod}: higher priority,
 * then earlier start; equal pods keep the node's order), with suffix sums of their requests.
 * Preemption removes exactly the pods below the preemptor's priority, which form a suffix of this
 * order, so what removing them frees is two array reads instead of a pass over the pods, and the
 * reprieve order is the suffix itself. Immutable; {@link NodeInfo} builds it lazily per state.
 */
public final class VictimIndex {

    /** Upstream {@code MoreImportantPod}: higher priority, then earlier start. */
    public static final Comparator<PodInfo> MORE_IMPORTANT = Comparator.comparingInt((PodInfo p) -> -p.priority())
            .thenComparingLong(PodInfo::startNanos);

    private final PodInfo[] pods;
    private final int[] priorities;
    private final long[] milliCpuFrom;
    private final long[] memoryFrom;
    private final long[] ephemeralFrom;

    private VictimIndex(PodInfo[] pods) {
        this.pods = pods;
        int n = pods.length;
        priorities = new int[n];
        milliCpuFrom = new long[n + 1];
        memoryFrom = new long[n + 1];
        ephemeralFrom = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            PodInfo p = pods[i];
            priorities[i] = p.priority();
            Resources r = p.requests();
            milliCpuFrom[i] = milliCpuFrom[i + 1] + r.milliCpu();
            memoryFrom[i] = memoryFrom[i + 1] + r.memory();
            ephemeralFrom[i] = ephemeralFrom[i + 1] + r.ephemeralStorage();
        }
    }

    /** Indexes {@code pods} (in the node's order; the sort is stable). */
    static VictimIndex of(List<PodInfo> pods) {
        PodInfo[] sorted = pods.toArray(new PodInfo[0]);
        Arrays.sort(sorted, MORE_IMPORTANT);
        return new VictimIndex(sorted);
    }

    public int size() {
        return pods.length;
    }

    /** The i-th most important pod. */
    public PodInfo pod(int i) {
        return pods[i];
    }

    /** The pods from position {@code from} on, most important first (a view). */
    public List<PodInfo> from(int from) {
        return Arrays.asList(pods).subList(from, pods.length);
    }

    /** The first position whose pod has a priority below {@code priority}; {@link #size()} if none. */
    public int firstBelow(int priority) {
        int lo = 0;
        int hi = pods.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (priorities[mid] >= priority) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sum of the CPU requests (millicores) of the pods from position {@code from} on. */
    public long milliCpuFrom(int from) {
        return milliCpuFrom[from];
    }

    /** Sum of the memory requests of the pods from position {@code from} on. */
    public long memoryFrom(int from) {
        return memoryFrom[from];
    }

    /** Sum of the ephemeral-storage requests of the pods from position {@code from} on. */
    public long ephemeralFrom(int from) {
        return ephemeralFrom[from];
    }
}
