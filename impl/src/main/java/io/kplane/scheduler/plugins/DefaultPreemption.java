package io.kplane.scheduler.plugins;

import io.kplane.scheduler.ClusterActions;
import io.kplane.scheduler.Disruption;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Resources;
import io.kplane.scheduler.SchedulingQueue;
import io.kplane.scheduler.Snapshot;
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
    static final Comparator<PodInfo> MORE_IMPORTANT = Comparator.comparingInt((PodInfo p) -> -p.priority())
            .thenComparingLong(PodInfo::startNanos);

    private final Supplier<Framework> framework;
    private final Supplier<Snapshot> snapshot;
    private final SchedulingQueue queue;
    private final ClusterActions actions;
    private final RandomGenerator random;

    public DefaultPreemption(Supplier<Framework> framework, Supplier<Snapshot> snapshot, SchedulingQueue queue,
            ClusterActions actions, RandomGenerator random) {
        this.framework = framework;
        this.snapshot = snapshot;
        this.queue = queue;
        this.actions = actions;
        this.random = random;
    }

    @Override
    public String name() { return NAME; }

    /** A candidate node with its victims (most important first) and PDB violations. */
    public record Candidate(String node, List<PodInfo> victims, int pdbViolations) {}

    @Override
    public PostFilterResult postFilter(CycleState state, PodInfo pod, NodeStatuses statuses) {
        String reason = eligible(pod);
        if (reason != null) {
            return new PostFilterResult(Status.unresolvable(NAME, reason), null);
        }
        List<Candidate> candidates = findCandidates(state, pod, statuses);
        if (candidates.isEmpty()) {
            return new PostFilterResult(Status.unschedulable(NAME, "preemption: no preemption victims found"), null);
        }
        Candidate best = select(candidates);
        for (PodInfo v : best.victims()) {
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

    /** Upstream {@code PodEligibleToPreemptOthers}; returns the reason it is not, or null. */
    String eligible(PodInfo pod) {
        if (pod.preemptNever()) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = queue.nominatedNode(pod.uid());
        if (nominated == null) {
            nominated = pod.nominatedNodeName();
        }
        if (nominated != null) {
            NodeInfo n = snapshot.get().get(nominated);
            if (n != null) {
                for (PodInfo p : n.pods()) {
                    if (p.terminating() && p.priority() < pod.priority()) {
                        return "not eligible due to a terminating pod on the nominated node.";
                    }
                }
            }
        }
        return null;
    }

    List<Candidate> findCandidates(CycleState state, PodInfo pod, NodeStatuses statuses) {
        Snapshot snap = snapshot.get();
        List<NodeInfo> potential = new ArrayList<>();
        List<Status> potentialStatus = new ArrayList<>();
        List<NodeInfo> nodes = snap.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Status s = statuses.at(i);
            if (s == null || s.code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                potential.add(nodes.get(i));
                potentialStatus.add(s);
            }
        }
        if (potential.isEmpty()) {
            return List.of();
        }
        int numCandidates = potential.size() * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
        if (numCandidates < MIN_CANDIDATE_NODES_ABSOLUTE) {
            numCandidates = MIN_CANDIDATE_NODES_ABSOLUTE;
        }
        numCandidates = Math.min(numCandidates, potential.size());
        int offset = random.nextInt(potential.size());
        List<Candidate> nonViolating = new ArrayList<>();
        List<Candidate> violating = new ArrayList<>();
        List<Disruption> pdbs = snap.disruptions();
        boolean arithmetic = resourcesOnly(state, pod);
        for (int i = 0; i < potential.size(); i++) {
            int k = (offset + i) % potential.size();
            NodeInfo n = potential.get(k);
            Status st = potentialStatus.get(k);
            Candidate c = arithmetic && st != null && NodeResourcesFit.NAME.equals(st.plugin())
                    ? selectVictimsByResources(pod, n, pdbs)
                    : selectVictimsOnNode(framework.get().copyForWhatIf(state), pod, n.copy(), pdbs);
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
            long[] nominated) {
        if (NodeResourcesFit.fits(pod, alloc, count, cpu, mem, eph) != Status.SUCCESS) {
            return false;
        }
        return nominated[0] == 0 || NodeResourcesFit.fits(pod, alloc, count + (int) nominated[0], cpu + nominated[1],
                mem + nominated[2], eph + nominated[3]) == Status.SUCCESS;
    }

    /**
     * {@link #selectVictimsOnNode} for the case {@link #resourcesOnly} holds, on sums instead of
     * copies of the node: the same victims, reprieves and PDB counts, without allocating a node.
     */
    public Candidate selectVictimsByResources(PodInfo pod, NodeInfo node, List<Disruption> pdbs) {
        long cpu = node.requestedMilliCpu();
        long mem = node.requestedMemory();
        long eph = node.requestedEphemeral();
        int count = node.podCount();
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : node.pods()) {
            if (p.priority() < pod.priority()) {
                potential.add(p);
                cpu -= p.requests().milliCpu();
                mem -= p.requests().memory();
                eph -= p.requests().ephemeralStorage();
                count--;
            }
        }
        // Pods nominated here with at least our priority count as if they were running (second pass).
        long[] nominated = new long[4];
        for (PodInfo np : queue.nominatedPods(node.name())) {
            if (np.priority() >= pod.priority() && !np.uid().equals(pod.uid())) {
                nominated[0]++;
                nominated[1] += np.requests().milliCpu();
                nominated[2] += np.requests().memory();
                nominated[3] += np.requests().ephemeralStorage();
            }
        }
        if (potential.isEmpty() || !fitsWithNominated(pod, node.allocatable(), count, cpu, mem, eph, nominated)) {
            return null;
        }
        potential.sort(MORE_IMPORTANT);
        List<PodInfo> violatingPods;
        List<PodInfo> nonViolatingPods;
        if (pdbs.isEmpty()) {
            violatingPods = List.of();
            nonViolatingPods = potential;
        } else {
            violatingPods = new ArrayList<>();
            nonViolatingPods = new ArrayList<>();
            splitByPdb(potential, pdbs, violatingPods, nonViolatingPods);
        }
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (PodInfo p : pass == 0 ? violatingPods : nonViolatingPods) {
                Resources r = p.requests();
                if (fitsWithNominated(pod, node.allocatable(), count + 1, cpu + r.milliCpu(), mem + r.memory(),
                        eph + r.ephemeralStorage(), nominated)) {
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
            return null;
        }
        victims.sort(MORE_IMPORTANT);
        return new Candidate(node.name(), List.copyOf(victims), violations);
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

    /** Upstream {@code filterPodsWithPDBViolation}: a pod violates when a covering PDB's budget goes below 0. */
    static void splitByPdb(List<PodInfo> pods, List<Disruption> pdbs, List<PodInfo> violating, List<PodInfo> nonViolating) {
        int[] allowed = new int[pdbs.size()];
        for (int i = 0; i < pdbs.size(); i++) {
            allowed[i] = pdbs.get(i).disruptionsAllowed();
        }
        for (PodInfo p : pods) {
            boolean violates = false;
            for (int i = 0; i < pdbs.size(); i++) {
                Disruption d = pdbs.get(i);
                if (d.selector().isEverything() || !d.covers(p)) {
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
