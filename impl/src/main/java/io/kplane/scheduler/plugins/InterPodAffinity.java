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

    /** Filter counts and the score map of one cycle, in the plugin's one state slot. */
    private static final class State implements CycleState.Data {
        TopologyCounts existingAnti = new TopologyCounts();
        TopologyCounts affinity = new TopologyCounts();
        TopologyCounts anti = new TopologyCounts();
        Map<String, String> namespaceLabels;
        TopologyCounts score;
        /** The counts belong to cross-cycle aggregates: copy before changing them. */
        boolean shared;

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
        NodeAggregate existing = aggregate(new ExistingAntiKey(pod.namespace(), pod.labels()), 1,
                (n, sink) -> {
                    Map<String, String> nsLabels = snap.namespaceLabels(pod.namespace());
                    for (PodInfo e : n.podsWithRequiredAntiAffinity()) {
                        for (AffinityTerm t : e.requiredAntiAffinity()) {
                            String v = n.labels().get(t.topologyKey());
                            if (v != null && t.matches(pod, nsLabels)) {
                                sink.add(0, t.topologyKey(), v, 1);
                            }
                        }
                    }
                });
        existing.sync(snap);
        s.existingAnti = existing.outputs[0];
        if (ownRequired) {
            NodeAggregate own = aggregate(new OwnTermsKey(pod.requiredAffinity(), pod.requiredAntiAffinity()), 2,
                    (n, sink) -> {
                        List<PodInfo> pods = n.pods();
                        for (int i = 0; i < pods.size(); i++) {
                            ownTerms(pod, pods.get(i), n, snap, sink);
                        }
                    });
            own.sync(snap);
            s.affinity = own.outputs[0];
            s.anti = own.outputs[1];
        }
        s.shared = true;
        return PreFilterResult.OK;
    }

    private record ExistingAntiKey(String namespace, Map<String, String> labels) {}

    private record OwnTermsKey(List<AffinityTerm> affinity, List<AffinityTerm> anti) {}

    private record ScoreKey(String namespace, Map<String, String> labels, List<AffinityTerm> preferred,
            List<AffinityTerm> preferredAnti) {}

    /** Cross-cycle aggregates by what they depend on (LRU). */
    private final java.util.LinkedHashMap<Object, NodeAggregate> aggregates = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, NodeAggregate> e) {
            return size() > 16;
        }
    };

    private NodeAggregate aggregate(Object key, int outputs, NodeAggregate.Contributor contributor) {
        NodeAggregate a = aggregates.get(key);
        if (a == null) {
            a = new NodeAggregate(outputs, contributor);
            aggregates.put(key, a);
        }
        return a;
    }

    /** Contribution of an existing pod to the incoming pod's own required terms (outputs 0 affinity, 1 anti). */
    private static void ownTerms(PodInfo pod, PodInfo existing, NodeInfo node, Snapshot snap, NodeAggregate.Sink sink) {
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
                        sink.add(0, t.topologyKey(), v, 1);
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
                sink.add(1, t.topologyKey(), v, 1);
            }
        }
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
        ownTerms(pod, existing, node, snap, (o, k, v, d) -> (o == 0 ? s.affinity : s.anti).add(k, v, d * delta));
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
        if (s.shared) {
            s = s.copy();
            cs.write(slot, s);
        }
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
        if (!hasConstraints && snap.nodesWithAffinityPods().isEmpty()) {
            return Status.SKIP;
        }
        long hard = hardPodAffinityWeight;
        NodeAggregate agg = aggregate(new ScoreKey(pod.namespace(), pod.labels(), pod.preferredAffinity(),
                pod.preferredAntiAffinity()), 1, (n, sink) -> {
                    if (n.labels().isEmpty()) {
                        return;
                    }
                    Map<String, String> ownNsLabels = snap.namespaceLabels(pod.namespace());
                    List<PodInfo> pods = hasConstraints ? n.pods() : n.podsWithAffinity();
                    for (int i = 0; i < pods.size(); i++) {
                        PodInfo existing = pods.get(i);
                        if (hasConstraints) {
                            Map<String, String> exNs = snap.namespaceLabels(existing.namespace());
                            processTerms(sink, pod.preferredAffinity(), existing, exNs, n, 1, 0);
                            processTerms(sink, pod.preferredAntiAffinity(), existing, exNs, n, -1, 0);
                        }
                        if (hard > 0) {
                            processTerms(sink, existing.requiredAffinity(), pod, ownNsLabels, n, 1, hard);
                        }
                        processTerms(sink, existing.preferredAffinity(), pod, ownNsLabels, n, 1, 0);
                        processTerms(sink, existing.preferredAntiAffinity(), pod, ownNsLabels, n, -1, 0);
                    }
                });
        agg.sync(snap);
        TopologyCounts score = agg.outputs[0];
        if (score.isEmpty()) {
            return Status.SKIP;
        }
        State s = state(cs);
        s.score = score;
        return Status.SUCCESS;
    }

    /** For each term {@code target} matches, add ±weight at the node's value of the term's key. */
    private static void processTerms(NodeAggregate.Sink score, List<AffinityTerm> terms, PodInfo target,
            Map<String, String> targetNsLabels, NodeInfo node, int sign, long fixedWeight) {
        for (int i = 0; i < terms.size(); i++) {
            AffinityTerm t = terms.get(i);
            if (t.matches(target, targetNsLabels)) {
                String v = node.labels().get(t.topologyKey());
                if (v != null) {
                    long w = fixedWeight > 0 ? fixedWeight : t.weight();
                    score.add(0, t.topologyKey(), v, sign * w);
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
