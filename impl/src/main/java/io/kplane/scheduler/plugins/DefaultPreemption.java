package io.kplane.scheduler.plugins;

import io.kplane.scheduler.ClusterActions;
import io.kplane.scheduler.Disruption;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.NominatedIndex;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Resources;
import io.kplane.scheduler.SchedulingQueue;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.VictimIndex;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * PostFilter preemption (upstream {@code defaultpreemption}): on nodes rejected as merely
 * Unschedulable, remove all lower-priority pods; if the pod then fits, reprieve victims (PDB
 * violating first, most important first) while it still fits. Among candidates choose by fewest
 * PDB violations, lowest highest-victim priority, smallest priority sum, fewest victims, latest
 * start time; delete the victims, clear lower-priority nominations there, and nominate the node.
 */
public final class DefaultPreemption implements Plugin.PostFilter {
    public static final String NAME = "DefaultPreemption";
    static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

    /** Upstream {@code MoreImportantPod}: higher priority, then earlier start. */
    static final Comparator<PodInfo> MORE_IMPORTANT = VictimIndex.MORE_IMPORTANT;

    private final Supplier<Framework> framework;
    private final Supplier<Snapshot> snapshot;
    private final SchedulingQueue queue;
    private final ClusterActions actions;
    private final RandomGenerator random;
    private final boolean fastPaths;
    /** Victims of the node being dry-run (fast path), reused between nodes. */
    private final ArrayList<PodInfo> scratch = new ArrayList<>();
    private final NominatedIndex nominatedIndex = new NominatedIndex();
    private final DryRunMemo memo = new DryRunMemo();
    /**
     * Victims whose deletion this plugin asked for and that may still be in the snapshot: the
     * runtime deletes them asynchronously, so until their deletion arrives they count as terminating
     * by preemption. Without this a preemptor retried before then found its victims still running,
     * preempted again and deleted more pods on every attempt (upstream deletes them before
     * PostFilter returns, or with async preemption holds the preemptor back until it has).
     */
    private final java.util.Set<String> requestedVictims = new java.util.HashSet<>();

    public DefaultPreemption(Supplier<Framework> framework, Supplier<Snapshot> snapshot, SchedulingQueue queue,
            ClusterActions actions, RandomGenerator random) {
        this(framework, snapshot, queue, actions, random, true);
    }

    /**
     * @param fastPaths dry-run nodes on the {@link VictimIndex} where only resources matter and keep
     *     just the best candidate; false runs the filter plugins on node copies and keeps every
     *     candidate (the straightforward form, for comparison in tests). Both choose the same.
     */
    public DefaultPreemption(Supplier<Framework> framework, Supplier<Snapshot> snapshot, SchedulingQueue queue,
            ClusterActions actions, RandomGenerator random, boolean fastPaths) {
        this.framework = framework;
        this.snapshot = snapshot;
        this.queue = queue;
        this.actions = actions;
        this.random = random;
        this.fastPaths = fastPaths;
    }

    @Override
    public String name() { return NAME; }

    /** A candidate node with its victims (most important first) and PDB violations. */
    public record Candidate(String node, List<PodInfo> victims, int pdbViolations) {}

    @Override
    public PostFilterResult postFilter(CycleState state, PodInfo pod, NodeStatuses statuses) {
        String reason = eligible(pod, statuses);
        if (reason != null) {
            return new PostFilterResult(Status.unresolvable(NAME, reason), null);
        }
        Candidate best;
        if (fastPaths) {
            best = findBestCandidate(state, pod, statuses);
        } else {
            List<Candidate> candidates = findCandidates(state, pod, statuses);
            best = candidates.isEmpty() ? null : select(candidates);
        }
        if (best == null) {
            // Upstream returns a cleared nomination here: a node nominated earlier is stale.
            return PostFilterResult.cleared(Status.unschedulable(NAME, "preemption: no preemption victims found"));
        }
        if (requestedVictims.size() > 100_000) {
            forgetDeletedVictims();
        }
        for (PodInfo v : best.victims()) {
            requestedVictims.add(v.uid());
            actions.deletePod(v);
        }
        for (PodInfo p : new ArrayList<>(queue.nominatedPods(best.node()))) {
            if (p.priority() < pod.priority()) {
                queue.deleteNominated(p.uid());
                actions.setNominatedNode(p, null);
            }
        }
        return new PostFilterResult(Status.SUCCESS, best.node());
    }

    /**
     * Upstream {@code PodEligibleToPreemptOthers}; returns the reason it is not, or null. A pod
     * that already preempted waits while lower-priority pods on its nominated node are terminating
     * <em>because of preemption</em> (other terminations do not free room for it on purpose); it
     * may preempt again at once when its nominated node was rejected as unresolvable.
     */
    String eligible(PodInfo pod, NodeStatuses statuses) {
        if (pod.preemptNever()) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = queue.nominatedNode(pod.uid());
        if (nominated == null) {
            nominated = pod.nominatedNodeName();
        }
        if (nominated != null) {
            Status s = statuses == null ? null : statuses.get(nominated);
            if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return null;
            }
            NodeInfo n = snapshot.get().get(nominated);
            if (n != null) {
                for (PodInfo p : n.pods()) {
                    if (p.priority() < pod.priority() && (p.terminatingByPreemption() || requestedVictims.contains(p.uid()))) {
                        return "not eligible due to a terminating pod on the nominated node.";
                    }
                }
            }
        }
        return null;
    }

    /** Drops requested victims that are gone from the snapshot (their deletion arrived). */
    private void forgetDeletedVictims() {
        java.util.Set<String> present = new java.util.HashSet<>();
        for (NodeInfo n : snapshot.get().nodes()) {
            for (PodInfo p : n.pods()) {
                if (requestedVictims.contains(p.uid())) {
                    present.add(p.uid());
                }
            }
        }
        requestedVictims.retainAll(present);
    }

    /** Upstream {@code calculateNumCandidates}. */
    static int numCandidates(int potentialNodes) {
        int n = potentialNodes * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
        if (n < MIN_CANDIDATE_NODES_ABSOLUTE) {
            n = MIN_CANDIDATE_NODES_ABSOLUTE;
        }
        return Math.min(n, potentialNodes);
    }

    /**
     * Upstream {@code FindCandidates}/{@code DryRunPreemption}, straightforwardly: every node not
     * rejected as unresolvable, from a random offset, dry-run on a copy with the filter plugins,
     * until enough candidates (at least one without PDB violations) are found.
     */
    List<Candidate> findCandidates(CycleState state, PodInfo pod, NodeStatuses statuses) {
        Snapshot snap = snapshot.get();
        List<NodeInfo> potential = new ArrayList<>();
        List<NodeInfo> nodes = snap.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Status s = statuses.at(i);
            if (s == null || s.code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                potential.add(nodes.get(i));
            }
        }
        if (potential.isEmpty()) {
            return List.of();
        }
        int numCandidates = numCandidates(potential.size());
        int offset = random.nextInt(potential.size());
        List<Candidate> nonViolating = new ArrayList<>();
        List<Candidate> violating = new ArrayList<>();
        List<Disruption> pdbs = snap.disruptions();
        for (int i = 0; i < potential.size(); i++) {
            NodeInfo n = potential.get((offset + i) % potential.size());
            Candidate c = selectVictimsOnNode(framework.get().copyForWhatIf(state), pod, n.copy(), pdbs);
            if (c == null) {
                continue;
            }
            (c.pdbViolations() == 0 ? nonViolating : violating).add(c);
            if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= numCandidates) {
                break;
            }
        }
        List<Candidate> all = new ArrayList<>(nonViolating);
        all.addAll(violating);
        return all;
    }

    /**
     * {@link #findCandidates} followed by {@link #select}, in one pass: the same nodes are visited
     * in the same order with the same stopping rule, but nodes where only resources matter are
     * dry-run on sums ({@link #dryRunByResources}), and only the best candidate so far is kept.
     * {@link #select} keeps the first (non-violating before violating, then in visit order) of the
     * candidates that are best by its criteria; since PDB violations are its first criterion, that
     * is the first in visit order, which is what a strict improvement test keeps.
     */
    Candidate findBestCandidate(CycleState state, PodInfo pod, NodeStatuses statuses) {
        Snapshot snap = snapshot.get();
        List<NodeInfo> nodes = snap.nodes();
        int total = nodes.size();
        int count = statuses.resolvableCountOrMinusOne(total);
        if (count < 0) {
            count = 0;
            for (int i = 0; i < total; i++) {
                Status s = statuses.at(i);
                if (s == null || s.code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                    count++;
                }
            }
        }
        if (count == 0) {
            return null;
        }
        int[] positions = null;
        if (count < total) {
            positions = new int[count];
            for (int i = 0, j = 0; i < total; i++) {
                Status s = statuses.at(i);
                if (s == null || s.code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                    positions[j++] = i;
                }
            }
        }
        int numCandidates = numCandidates(count);
        int offset = random.nextInt(count);
        List<Disruption> pdbs = snap.disruptions();
        boolean arithmetic = resourcesOnly(state, pod);
        int ownPosition = -1;
        if (arithmetic) {
            nominatedIndex.refresh(snap, queue);
            memo.size(total);
            String own = queue.nominatedNode(pod.uid());
            ownPosition = own == null ? -1 : snap.indexOf(own);
        }
        int nonViolating = 0;
        int violating = 0;
        Candidate best = null;
        CandidateKey bestKey = null;
        for (int i = 0, k = offset; i < count; i++, k = k + 1 == count ? 0 : k + 1) {
            int pos = positions == null ? k : positions[k];
            NodeInfo n = nodes.get(pos);
            Status st = statuses.at(pos);
            int violations;
            List<PodInfo> victims = null;
            boolean memoized = false;
            if (arithmetic && st != null && NodeResourcesFit.NAME.equals(st.plugin())) {
                // The memo applies where the nominated pods' sums come from the index (the pod is
                // not nominated here itself, and all of them count), or there are none.
                int nCount = nominatedIndex.count(pos);
                if (nCount == 0 || (pos != ownPosition && nominatedIndex.allCount(pos, pod.priority()))) {
                    long nCpu = nCount == 0 ? 0 : nominatedIndex.milliCpu(pos);
                    long nMem = nCount == 0 ? 0 : nominatedIndex.memory(pos);
                    long nEph = nCount == 0 ? 0 : nominatedIndex.ephemeral(pos);
                    if (!memo.has(pos, n, pod, nCount, nCpu, nMem, nEph, pdbs)) {
                        int v = dryRunByResources(pod, n, pos, ownPosition, pdbs, scratch);
                        memo.put(pos, n, pod, nCount, nCpu, nMem, nEph, pdbs, v, scratch);
                    }
                    violations = memo.violations(pos);
                    memoized = true;
                } else {
                    violations = dryRunByResources(pod, n, pos, ownPosition, pdbs, scratch);
                    victims = scratch;
                }
            } else {
                Candidate c = selectVictimsOnNode(framework.get().copyForWhatIf(state), pod, n.copy(), pdbs);
                violations = c == null ? -1 : c.pdbViolations();
                victims = c == null ? null : c.victims();
            }
            if (violations < 0) {
                continue;
            }
            if (violations == 0) {
                nonViolating++;
            } else {
                violating++;
            }
            if (memoized) {
                if (bestKey == null || memo.betterThan(pos, bestKey)) {
                    bestKey = memo.key(pos);
                    best = new Candidate(n.name(), memo.victims(pos), violations);
                }
            } else {
                CandidateKey key = CandidateKey.of(violations, victims);
                if (bestKey == null || key.betterThan(bestKey)) {
                    bestKey = key;
                    best = new Candidate(n.name(), List.copyOf(victims), violations);
                }
            }
            if (nonViolating > 0 && nonViolating + violating >= numCandidates) {
                break;
            }
        }
        return best;
    }

    /** {@link #select}'s criteria for one candidate, in order; smaller is better except the last. */
    record CandidateKey(int pdbViolations, int highestPriority, long prioritySum, int victims, long earliestStart) {
        static CandidateKey of(int pdbViolations, List<PodInfo> victims) {
            int top = victims.get(0).priority();
            long sum = 0;
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < victims.size(); i++) {
                PodInfo v = victims.get(i);
                sum += (long) v.priority() + (long) Integer.MAX_VALUE + 1;
                if (v.priority() == top) {
                    earliest = Math.min(earliest, v.startNanos());
                }
            }
            return new CandidateKey(pdbViolations, top, sum, victims.size(), earliest);
        }

        boolean betterThan(CandidateKey o) {
            if (pdbViolations != o.pdbViolations) return pdbViolations < o.pdbViolations;
            if (highestPriority != o.highestPriority) return highestPriority < o.highestPriority;
            if (prioritySum != o.prioritySum) return prioritySum < o.prioritySum;
            if (victims != o.victims) return victims < o.victims;
            return earliestStart > o.earliestStart;
        }
    }

    /**
     * True when, for this pod, only NodeResourcesFit among the filters depends on the other pods of
     * a node: no host ports, and PodTopologySpread and InterPodAffinity have nothing to check. The
     * remaining filters (unschedulable, name, taints, node affinity) look at the node alone and
     * already passed on any node that NodeResourcesFit rejected, since they run before it.
     */
    boolean resourcesOnly(CycleState state, PodInfo pod) {
        if (!pod.hostPorts().isEmpty() || !pod.requests().scalars().isEmpty()) {
            return false;
        }
        for (Plugin p : framework.get().plugins()) {
            if ((p instanceof PodTopologySpread || p instanceof InterPodAffinity) && !state.skipFilter(slotOf(p))) {
                return false;
            }
        }
        return true;
    }

    private int slotOf(Plugin p) {
        return framework.get().plugins().indexOf(p);
    }

    /** Both filter passes of {@code RunFilterPluginsWithNominatedPods}, on sums. */
    private static boolean fitsWithNominated(PodInfo pod, Resources alloc, int count, long cpu, long mem, long eph,
            int nominatedCount, long nominatedCpu, long nominatedMem, long nominatedEph) {
        if (NodeResourcesFit.fits(pod, alloc, count, cpu, mem, eph) != Status.SUCCESS) {
            return false;
        }
        return nominatedCount == 0 || NodeResourcesFit.fits(pod, alloc, count + nominatedCount, cpu + nominatedCpu,
                mem + nominatedMem, eph + nominatedEph) == Status.SUCCESS;
    }

    /**
     * {@link #selectVictimsOnNode} for the case {@link #resourcesOnly} holds, on sums instead of
     * copies of the node: the same victims, reprieves and PDB counts, without allocating a node.
     */
    public Candidate selectVictimsByResources(PodInfo pod, NodeInfo node, List<Disruption> pdbs) {
        ArrayList<PodInfo> victims = new ArrayList<>();
        int violations = dryRunByResources(pod, node, -1, -1, pdbs, victims);
        return violations < 0 ? null : new Candidate(node.name(), List.copyOf(victims), violations);
    }

    /**
     * The dry run of {@link #selectVictimsByResources} on the node's {@link VictimIndex}: fills
     * {@code victims} (most important first) and returns the PDB violations, or -1 when the node is
     * no candidate. Pods below the preemptor's priority are a suffix of the index, so whether
     * removing them all makes room is decided from suffix sums before touching any pod; the reprieve
     * then walks that suffix, which is already in upstream's order. With the node's snapshot
     * {@code position} (else -1), the nominated pods' sums come from the {@link NominatedIndex}
     * where all of them count ({@code ownPosition}: where the pod itself is nominated, or -1).
     */
    int dryRunByResources(PodInfo pod, NodeInfo node, int position, int ownPosition, List<Disruption> pdbs,
            ArrayList<PodInfo> victims) {
        VictimIndex index = node.victimIndex();
        int n = index.size();
        int from = index.firstBelow(pod.priority());
        if (from == n) {
            return -1;
        }
        Resources alloc = node.allocatable();
        int count = node.podCount() - (n - from);
        long cpu = node.requestedMilliCpu() - index.milliCpuFrom(from);
        long mem = node.requestedMemory() - index.memoryFrom(from);
        long eph = node.requestedEphemeral() - index.ephemeralFrom(from);
        if (NodeResourcesFit.fits(pod, alloc, count, cpu, mem, eph) != Status.SUCCESS) {
            return -1;
        }
        // Pods nominated here with at least our priority count as if they were running (second pass).
        int nCount = 0;
        long nCpu = 0;
        long nMem = 0;
        long nEph = 0;
        if (position >= 0 && position != ownPosition && nominatedIndex.allCount(position, pod.priority())) {
            nCount = nominatedIndex.count(position);
            if (nCount > 0) {
                nCpu = nominatedIndex.milliCpu(position);
                nMem = nominatedIndex.memory(position);
                nEph = nominatedIndex.ephemeral(position);
            }
        } else if (position < 0 || nominatedIndex.count(position) > 0) {
            List<PodInfo> nominated = queue.nominatedPods(node.name());
            for (int i = 0; i < nominated.size(); i++) {
                PodInfo np = nominated.get(i);
                if (np.priority() >= pod.priority() && !np.uid().equals(pod.uid())) {
                    Resources r = np.requests();
                    nCount++;
                    nCpu += r.milliCpu();
                    nMem += r.memory();
                    nEph += r.ephemeralStorage();
                }
            }
        }
        if (nCount > 0 && !fitsWithNominated(pod, alloc, count, cpu, mem, eph, nCount, nCpu, nMem, nEph)) {
            return -1;
        }
        victims.clear();
        int violations = 0;
        List<PodInfo> violatingPods;
        List<PodInfo> nonViolatingPods = index.from(from);
        if (pdbs.isEmpty()) {
            violatingPods = List.of();
        } else {
            violatingPods = new ArrayList<>();
            List<PodInfo> rest = new ArrayList<>();
            splitByPdb(nonViolatingPods, pdbs, violatingPods, rest);
            nonViolatingPods = rest;
        }
        for (int pass = 0; pass < 2; pass++) {
            List<PodInfo> pods = pass == 0 ? violatingPods : nonViolatingPods;
            for (int i = 0; i < pods.size(); i++) {
                PodInfo p = pods.get(i);
                Resources r = p.requests();
                if (fitsWithNominated(pod, alloc, count + 1, cpu + r.milliCpu(), mem + r.memory(),
                        eph + r.ephemeralStorage(), nCount, nCpu, nMem, nEph)) {
                    count++;
                    cpu += r.milliCpu();
                    mem += r.memory();
                    eph += r.ephemeralStorage();
                } else {
                    victims.add(p);
                    if (pass == 0) {
                        violations++;
                    }
                }
            }
        }
        if (victims.isEmpty()) {
            return -1;
        }
        if (!violatingPods.isEmpty()) {
            // Violating victims came first; upstream sorts the victims by importance at the end.
            victims.sort(MORE_IMPORTANT);
        }
        return violations;
    }

    /** Upstream {@code SelectVictimsOnNode}; null when the node is no candidate. */
    public Candidate selectVictimsOnNode(CycleState state, PodInfo pod, NodeInfo node, List<Disruption> pdbs) {
        Framework fw = framework.get();
        List<PodInfo> nominated = queue.nominatedPods(node.name());
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : new ArrayList<>(node.pods())) {
            if (p.priority() < pod.priority()) {
                potential.add(p);
                node.removePod(p);
                fw.runRemovePodExtensions(state, pod, p, node);
            }
        }
        if (potential.isEmpty()) {
            return null;
        }
        if (!fw.runFiltersWithNominated(state, pod, node, nominated).isSuccess()) {
            return null;
        }
        potential.sort(MORE_IMPORTANT);
        List<PodInfo> violatingPods = new ArrayList<>();
        List<PodInfo> nonViolatingPods = new ArrayList<>();
        splitByPdb(potential, pdbs, violatingPods, nonViolatingPods);
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (PodInfo p : violatingPods) {
            if (!reprieve(fw, state, pod, node, nominated, p, victims)) {
                violations++;
            }
        }
        for (PodInfo p : nonViolatingPods) {
            reprieve(fw, state, pod, node, nominated, p, victims);
        }
        if (victims.isEmpty()) {
            return null;
        }
        victims.sort(MORE_IMPORTANT);
        return new Candidate(node.name(), List.copyOf(victims), violations);
    }

    private static boolean reprieve(Framework fw, CycleState state, PodInfo pod, NodeInfo node, List<PodInfo> nominated,
            PodInfo p, List<PodInfo> victims) {
        node.addPod(p);
        fw.runAddPodExtensions(state, pod, p, node);
        if (fw.runFiltersWithNominated(state, pod, node, nominated).isSuccess()) {
            return true;
        }
        node.removePod(p);
        fw.runRemovePodExtensions(state, pod, p, node);
        victims.add(p);
        return false;
    }

    /**
     * Upstream {@code filterPodsWithPDBViolation}: a pod violates when a budget it counts against
     * ({@link Disruption#counts}) goes below 0.
     */
    static void splitByPdb(List<PodInfo> pods, List<Disruption> pdbs, List<PodInfo> violating, List<PodInfo> nonViolating) {
        int[] allowed = new int[pdbs.size()];
        for (int i = 0; i < pdbs.size(); i++) {
            allowed[i] = pdbs.get(i).disruptionsAllowed();
        }
        for (PodInfo p : pods) {
            boolean violates = false;
            for (int i = 0; i < pdbs.size(); i++) {
                Disruption d = pdbs.get(i);
                if (!d.counts(p)) {
                    continue;
                }
                allowed[i]--;
                if (allowed[i] < 0) {
                    violates = true;
                }
            }
            (violates ? violating : nonViolating).add(p);
        }
    }

    /** Upstream {@code pickOneNodeForPreemption}. */
    static Candidate select(List<Candidate> candidates) {
        List<Candidate> best = candidates;
        best = keepMax(best, c -> -c.pdbViolations());
        best = keepMax(best, c -> -(long) c.victims().get(0).priority());
        best = keepMax(best, c -> {
            long sum = 0;
            for (PodInfo v : c.victims()) {
                sum += (long) v.priority() + (long) Integer.MAX_VALUE + 1;
            }
            return -sum;
        });
        best = keepMax(best, c -> -(long) c.victims().size());
        best = keepMax(best, c -> {
            int top = c.victims().get(0).priority();
            long earliest = Long.MAX_VALUE;
            for (PodInfo v : c.victims()) {
                if (v.priority() == top) {
                    earliest = Math.min(earliest, v.startNanos());
                }
            }
            return earliest;
        });
        return best.get(0);
    }

    private static List<Candidate> keepMax(List<Candidate> in, java.util.function.ToLongFunction<Candidate> f) {
        if (in.size() <= 1) {
            return in;
        }
        long max = Long.MIN_VALUE;
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : in) {
            long v = f.applyAsLong(c);
            if (v > max) {
                max = v;
                out.clear();
                out.add(c);
            } else if (v == max) {
                out.add(c);
            }
        }
        return out;
    }
}
