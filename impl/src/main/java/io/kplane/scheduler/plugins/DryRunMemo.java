package io.kplane.scheduler.plugins;

import io.kplane.scheduler.Disruption;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Resources;
import java.util.List;

/**
 * Results of preemption's arithmetic dry run, by snapshot position, reused while nothing they
 * depend on has changed. The dry run on sums reads only: the node (its snapshot copy, which is
 * never changed once made, so identity stands for its whole state), the preemptor's priority and
 * requests (cpu, memory, ephemeral storage; no extended resources on this path), the sums of the
 * nominated pods that count there, and the PDB list (replaced, never changed, when a PDB changes).
 * All of these are the key; a preemptor with the same key gets the same victims. The arrays are
 * read at consecutive positions, as the candidate search walks them, without touching the node.
 */
final class DryRunMemo {

    private NodeInfo[] node = new NodeInfo[0];
    private int[] priority = new int[0];
    private long[] milliCpu = new long[0];
    private long[] memory = new long[0];
    private long[] ephemeral = new long[0];
    private int[] nominatedCount = new int[0];
    private long[] nominatedMilliCpu = new long[0];
    private long[] nominatedMemory = new long[0];
    private long[] nominatedEphemeral = new long[0];
    private Object[] pdbs = new Object[0];
    /** PDB violations of the candidate, or -1 when the node is no candidate. */
    private int[] violations = new int[0];
    private Object[] victims = new Object[0];
    private int[] highestPriority = new int[0];
    private long[] prioritySum = new long[0];
    private long[] earliestStart = new long[0];
    private int[] victimCount = new int[0];

    /** Forgets everything when the snapshot's node count changed. */
    void size(int n) {
        if (node.length == n) {
            return;
        }
        node = new NodeInfo[n];
        priority = new int[n];
        milliCpu = new long[n];
        memory = new long[n];
        ephemeral = new long[n];
        nominatedCount = new int[n];
        nominatedMilliCpu = new long[n];
        nominatedMemory = new long[n];
        nominatedEphemeral = new long[n];
        pdbs = new Object[n];
        violations = new int[n];
        victims = new Object[n];
        highestPriority = new int[n];
        prioritySum = new long[n];
        earliestStart = new long[n];
        victimCount = new int[n];
    }

    /** True when the result stored at {@code pos} was computed for exactly this key. */
    boolean has(int pos, NodeInfo n, PodInfo pod, int nCount, long nCpu, long nMem, long nEph, List<Disruption> pdbList) {
        if (node[pos] != n) {
            return false;
        }
        Resources r = pod.requests();
        return priority[pos] == pod.priority() && milliCpu[pos] == r.milliCpu() && memory[pos] == r.memory()
                && ephemeral[pos] == r.ephemeralStorage() && nominatedCount[pos] == nCount
                && nominatedMilliCpu[pos] == nCpu && nominatedMemory[pos] == nMem && nominatedEphemeral[pos] == nEph
                && pdbs[pos] == pdbList;
    }

    /** Stores a result: {@code violationCount} -1 for no candidate, else the victims (most important first). */
    void put(int pos, NodeInfo n, PodInfo pod, int nCount, long nCpu, long nMem, long nEph, List<Disruption> pdbList,
            int violationCount, List<PodInfo> victimList) {
        Resources r = pod.requests();
        node[pos] = n;
        priority[pos] = pod.priority();
        milliCpu[pos] = r.milliCpu();
        memory[pos] = r.memory();
        ephemeral[pos] = r.ephemeralStorage();
        nominatedCount[pos] = nCount;
        nominatedMilliCpu[pos] = nCpu;
        nominatedMemory[pos] = nMem;
        nominatedEphemeral[pos] = nEph;
        pdbs[pos] = pdbList;
        violations[pos] = violationCount;
        if (violationCount < 0) {
            victims[pos] = null;
            return;
        }
        victims[pos] = List.copyOf(victimList);
        DefaultPreemption.CandidateKey key = DefaultPreemption.CandidateKey.of(violationCount, victimList);
        highestPriority[pos] = key.highestPriority();
        prioritySum[pos] = key.prioritySum();
        earliestStart[pos] = key.earliestStart();
        victimCount[pos] = key.victims();
    }

    int violations(int pos) {
        return violations[pos];
    }

    @SuppressWarnings("unchecked")
    List<PodInfo> victims(int pos) {
        return (List<PodInfo>) victims[pos];
    }

    /** The stored candidate's {@link DefaultPreemption.CandidateKey}. */
    DefaultPreemption.CandidateKey key(int pos) {
        return new DefaultPreemption.CandidateKey(violations[pos], highestPriority[pos], prioritySum[pos],
                victimCount[pos], earliestStart[pos]);
    }

    /** Whether the stored candidate at {@code pos} is better than {@code best} by {@link DefaultPreemption#select}'s order. */
    boolean betterThan(int pos, DefaultPreemption.CandidateKey best) {
        int v = violations[pos];
        if (v != best.pdbViolations()) return v < best.pdbViolations();
        if (highestPriority[pos] != best.highestPriority()) return highestPriority[pos] < best.highestPriority();
        if (prioritySum[pos] != best.prioritySum()) return prioritySum[pos] < best.prioritySum();
        if (victimCount[pos] != best.victims()) return victimCount[pos] < best.victims();
        return earliestStart[pos] > best.earliestStart();
    }
}
