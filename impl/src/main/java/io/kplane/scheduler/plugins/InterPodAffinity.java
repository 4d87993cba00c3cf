package io.kplane.scheduler.plugins;

import io.kplane.scheduler.AffinityTerm;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Required and preferred pod affinity and anti-affinity, with topology keys and namespace
 * selectors (upstream {@code interpodaffinity}).
 *
 * <p>Filter: existing pods' required anti-affinity must not match the pod in the node's domain;
 * the pod's required anti-affinity must find no matching pod in the node's domain; its required
 * affinity must find matching pods in the node's domain for every term (or, if no pod anywhere
 * matches and the pod matches its own terms, any node with the keys).
 *
 * <p>Score: per topology pair, + weight for the pod's preferred affinity terms an existing pod
 * matches, − weight for anti-affinity, + {@code hardPodAffinityWeight} (1) for existing pods'
 * required affinity terms the pod matches, ± weight for existing pods' preferred terms;
 * normalized {@code 100·(s−min)/(max−min)}.
 */
public final class InterPodAffinity implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score,
        Plugin.PreFilter.Extensions {
    public static final String NAME = "InterPodAffinity";
    private static final Status AFFINITY = Status.unresolvable(NAME, "node(s) didn't match pod affinity rules");
    private static final Status ANTI = Status.unschedulable(NAME, "node(s) didn't match pod anti-affinity rules");
    private static final Status EXISTING_ANTI = Status.unschedulable(NAME,
            "node(s) didn't satisfy existing pods anti-affinity rules");

    private final long hardPodAffinityWeight;
    private final Supplier<Snapshot> snapshot;
    private int slot;
    private int scoreSlot;

    public InterPodAffinity(Supplier<Snapshot> snapshot) {
        this(snapshot, 1);
    }

    public InterPodAffinity(Supplier<Snapshot> snapshot, long hardPodAffinityWeight) {
        this.snapshot = snapshot;
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public void setSlot(int slot) {
        this.slot = slot;
    }

    /** Score state lives in a second slot index space: we reuse the same slot with a wrapper. */
    private static final class State implements CycleState.Data {
        TopologyCounts existingAnti = new TopologyCounts();
        TopologyCounts affinity = new TopologyCounts();
        TopologyCounts anti = new TopologyCounts();
        Map<String, String> namespaceLabels;
        TopologyCounts score;

        @Override
        public State copy() {
            State s = new State();
            s.existingAnti = existingAnti.copy();
            s.affinity = affinity.copy();
            s.anti = anti.copy();
            s.namespaceLabels = namespaceLabels;
            s.score = score;
            return s;
        }
    }

    private State state(CycleState cs) {
        Object o = cs.read(slot);
        if (o == null) {
            State s = new State();
            cs.write(slot, s);
            return s;
        }
        return (State) o;
    }

    // ---- filter ----

    @Override
    public PreFilterResult preFilter(CycleState cs, PodInfo pod, Snapshot snap) {
        boolean ownRequired = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
        if (!ownRequired && snap.nodesWithRequiredAntiAffinityPods().isEmpty()) {
            return PreFilterResult.SKIP;
        }
        State s = state(cs);
        s.namespaceLabels = snap.namespaceLabels(pod.namespace());
        for (NodeInfo n : snap.nodesWithRequiredAntiAffinityPods()) {
            for (PodInfo existing : n.podsWithRequiredAntiAffinity()) {
                addExistingAnti(s, pod, existing, n, 1);
            }
        }
        if (ownRequired) {
            for (NodeInfo n : snap.nodes()) {
                List<PodInfo> pods = n.pods();
                for (int i = 0; i < pods.size(); i++) {
                    addOwnTerms(s, pod, pods.get(i), n, 1, snap);
                }
            }
        }
        return PreFilterResult.OK;
    }

    private void addExistingAnti(State s, PodInfo pod, PodInfo existing, NodeInfo node, long delta) {
        for (AffinityTerm t : existing.requiredAntiAffinity()) {
            String v = node.labels().get(t.topologyKey());
            if (v != null && t.matches(pod, s.namespaceLabels)) {
                s.existingAnti.add(t.topologyKey(), v, delta);
            }
        }
    }

    private static void addOwnTerms(State s, PodInfo pod, PodInfo existing, NodeInfo node, long delta, Snapshot snap) {
        if (pod.requiredAffinity().isEmpty() && pod.requiredAntiAffinity().isEmpty()) {
            return;
        }
        Map<String, String> nsLabels = null;
        if (!pod.requiredAffinity().isEmpty()) {
            nsLabels = snap.namespaceLabels(existing.namespace());
            boolean all = true;
            for (AffinityTerm t : pod.requiredAffinity()) {
                if (!t.matches(existing, nsLabels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                for (AffinityTerm t : pod.requiredAffinity()) {
                    String v = node.labels().get(t.topologyKey());
                    if (v != null) {
                        s.affinity.add(t.topologyKey(), v, delta);
                    }
                }
            }
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            String v = node.labels().get(t.topologyKey());
            if (v == null) {
                continue;
            }
            if (nsLabels == null) {
                nsLabels = snap.namespaceLabels(existing.namespace());
            }
            if (t.matches(existing, nsLabels)) {
                s.anti.add(t.topologyKey(), v, delta);
            }
        }
    }

    @Override
    public Extensions extensions() {
        return this;
    }

    @Override
    public void addPod(CycleState cs, PodInfo pod, PodInfo added, NodeInfo node) {
        update(cs, pod, added, node, 1);
    }

    @Override
    public void removePod(CycleState cs, PodInfo pod, PodInfo removed, NodeInfo node) {
        update(cs, pod, removed, node, -1);
    }

    private void update(CycleState cs, PodInfo pod, PodInfo other, NodeInfo node, long delta) {
        if (cs.skipFilter(slot)) {
            return;
        }
        State s = state(cs);
        addExistingAnti(s, pod, other, node, delta);
        addOwnTerms(s, pod, other, node, delta, snapshot.get());
    }

    @Override
    public Status filter(CycleState cs, PodInfo pod, NodeInfo node) {
        State s = state(cs);
        Map<String, String> labels = node.labels();
        if (!pod.requiredAffinity().isEmpty()) {
            boolean podsExist = true;
            for (AffinityTerm t : pod.requiredAffinity()) {
                String v = labels.get(t.topologyKey());
                if (v == null) {
                    return AFFINITY;
                }
                if (s.affinity.get(t.topologyKey(), v) <= 0) {
                    podsExist = false;
                }
            }
            if (!podsExist) {
                // The first pod of a group with affinity to itself may go anywhere with the keys.
                if (!(s.affinity.isEmpty() && matchesAllOwn(pod, s.namespaceLabels))) {
                    return AFFINITY;
                }
            }
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            String v = labels.get(t.topologyKey());
            if (v != null && s.anti.get(t.topologyKey(), v) > 0) {
                return ANTI;
            }
        }
        if (!s.existingAnti.isEmpty() && s.existingAnti.anyPositiveFor(labels)) {
            return EXISTING_ANTI;
        }
        return Status.SUCCESS;
    }

    private static boolean matchesAllOwn(PodInfo pod, Map<String, String> nsLabels) {
        for (AffinityTerm t : pod.requiredAffinity()) {
            if (!t.matches(pod, nsLabels)) {
                return false;
            }
        }
        return true;
    }

    // ---- score ----

    @Override
    public Status preScore(CycleState cs, PodInfo pod, List<NodeInfo> feasible) {
        Snapshot snap = snapshot.get();
        boolean hasConstraints = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        List<NodeInfo> nodes = hasConstraints ? snap.nodes() : snap.nodesWithAffinityPods();
        if (nodes.isEmpty()) {
            return Status.SKIP;
        }
        TopologyCounts score = new TopologyCounts();
        Map<String, String> ownNsLabels = snap.namespaceLabels(pod.namespace());
        for (NodeInfo n : nodes) {
            if (n.labels().isEmpty()) {
                continue;
            }
            List<PodInfo> pods = hasConstraints ? n.pods() : n.podsWithAffinity();
            for (int i = 0; i < pods.size(); i++) {
                PodInfo existing = pods.get(i);
                if (hasConstraints) {
                    Map<String, String> exNs = snap.namespaceLabels(existing.namespace());
                    processTerms(score, pod.preferredAffinity(), existing, exNs, n, 1, 0);
                    processTerms(score, pod.preferredAntiAffinity(), existing, exNs, n, -1, 0);
                }
                if (hardPodAffinityWeight > 0) {
                    processTerms(score, existing.requiredAffinity(), pod, ownNsLabels, n, 1, hardPodAffinityWeight);
                }
                processTerms(score, existing.preferredAffinity(), pod, ownNsLabels, n, 1, 0);
                processTerms(score, existing.preferredAntiAffinity(), pod, ownNsLabels, n, -1, 0);
            }
        }
        if (score.isEmpty()) {
            return Status.SKIP;
        }
        State s = state(cs);
        s.score = score;
        return Status.SUCCESS;
    }

    /** For each term {@code target} matches, add ±weight at the node's value of the term's key. */
    private static void processTerms(TopologyCounts score, List<AffinityTerm> terms, PodInfo target,
            Map<String, String> targetNsLabels, NodeInfo node, int sign, long fixedWeight) {
        for (int i = 0; i < terms.size(); i++) {
            AffinityTerm t = terms.get(i);
            if (t.matches(target, targetNsLabels)) {
                String v = node.labels().get(t.topologyKey());
                if (v != null) {
                    long w = fixedWeight > 0 ? fixedWeight : t.weight();
                    score.add(t.topologyKey(), v, sign * w);
                }
            }
        }
    }

    @Override
    public long score(CycleState cs, PodInfo pod, NodeInfo node) {
        return state(cs).score.sumFor(node.labels());
    }

    @Override
    public void normalize(CycleState cs, PodInfo pod, long[] scores, int n) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        long diff = max - min;
        for (int i = 0; i < n; i++) {
            double f = diff > 0 ? 100.0 * ((double) (scores[i] - min) / (double) diff) : 0;
            scores[i] = (long) f;
        }
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.ALL),
                EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
    }
}
