package io.kplane.scheduler.plugins;

import io.kplane.scheduler.Labels;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Selector;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.SpreadConstraint;
import io.kplane.scheduler.Taint;
import io.kplane.scheduler.Toleration;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Topology spread constraints (upstream {@code podtopologyspread}).
 *
 * <p>Filter (DoNotSchedule): for each constraint, {@code count(domain) + selfMatch − min} must
 * not exceed maxSkew, counting matching pods over nodes that have all the constraints' keys and
 * pass the nodeAffinityPolicy/nodeTaintsPolicy; min is 0 while there are fewer domains than
 * minDomains.
 *
 * <p>Score (ScheduleAnyway, or the system defaults hostname/3 and zone/5 for pods without
 * constraints that belong to a service or workload): {@code Σ cnt·log(domains+2) + (maxSkew−1)},
 * normalized {@code 100·(max+min−s)/max}; nodes missing keys score 0.
 */
public final class PodTopologySpread implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score,
        Plugin.PreFilter.Extensions {
    public static final String NAME = "PodTopologySpread";
    private static final Status MISSING_LABEL = Status.unresolvable(NAME,
            "node(s) didn't match pod topology spread constraints (missing required label)");
    private static final Status SKEW = Status.unschedulable(NAME, "node(s) didn't match pod topology spread constraints");

    private final Supplier<Snapshot> snapshot;
    private final boolean systemDefaults;
    /** Incrementally maintained counts for recently seen constraint sets (LRU). */
    private final java.util.LinkedHashMap<SpreadCounts.Key, SpreadCounts> cache =
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<SpreadCounts.Key, SpreadCounts> e) {
                    return size() > 8;
                }
            };
    private int slot;

    public PodTopologySpread(Supplier<Snapshot> snapshot) {
        this(snapshot, true);
    }

    public PodTopologySpread(Supplier<Snapshot> snapshot, boolean systemDefaults) {
        this.snapshot = snapshot;
        this.systemDefaults = systemDefaults;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public void setSlot(int slot) {
        this.slot = slot;
    }

    /** Filter state: per hard constraint, matching-pod counts per domain and the cached minimum. */
    private static final class FilterState implements CycleState.Data {
        SpreadConstraint[] constraints;
        List<HashMap<String, long[]>> counts;
        long[] min;
        boolean minDirty = true;
        /** counts belong to the cross-cycle cache: copy before changing them. */
        boolean shared;

        @Override
        public FilterState copy() {
            FilterState s = new FilterState();
            s.constraints = constraints;
            s.counts = new ArrayList<>(counts.size());
            for (HashMap<String, long[]> m : counts) {
                HashMap<String, long[]> c = new HashMap<>(m.size() * 2);
                for (Map.Entry<String, long[]> e : m.entrySet()) {
                    c.put(e.getKey(), e.getValue().clone());
                }
                s.counts.add(c);
            }
            s.min = min.clone();
            s.minDirty = minDirty;
            s.shared = false;
            return s;
        }

        void recomputeMin() {
            for (int i = 0; i < constraints.length; i++) {
                HashMap<String, long[]> m = counts.get(i);
                if (m.size() < constraints[i].minDomains()) {
                    min[i] = 0;
                    continue;
                }
                long mn = Long.MAX_VALUE;
                for (long[] c : m.values()) {
                    mn = Math.min(mn, c[0]);
                }
                min[i] = mn == Long.MAX_VALUE ? 0 : mn;
            }
            minDirty = false;
        }
    }

    /** Score state. */
    private static final class ScoreState {
        SpreadConstraint[] constraints;
        HashSet<String> ignored = new HashSet<>();
        List<HashMap<String, long[]>> counts = new ArrayList<>();
        double[] weights;
    }

    /** Wrapper so filter and score state share the plugin's one slot. */
    private static final class Slot implements CycleState.Data {
        FilterState filter;
        ScoreState score;

        @Override
        public Slot copy() {
            Slot s = new Slot();
            s.filter = filter == null ? null : filter.copy();
            s.score = score;
            return s;
        }
    }

    private Slot slot(CycleState cs) {
        Object o = cs.read(slot);
        if (o == null) {
            Slot s = new Slot();
            cs.write(slot, s);
            return s;
        }
        return (Slot) o;
    }

    static boolean hasAllKeys(Map<String, String> labels, SpreadConstraint[] cs) {
        for (SpreadConstraint c : cs) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    static boolean included(SpreadConstraint c, PodInfo pod, NodeInfo node) {
        if (c.honorNodeAffinity() && !pod.matchesNodeSelectorAndAffinity(node.node())) {
            return false;
        }
        if (c.honorNodeTaints()) {
            for (Taint t : node.node().taints()) {
                if (t.effect() != Taint.Effect.PREFER_NO_SCHEDULE && !Toleration.anyTolerates(pod.tolerations(), t)) {
                    return false;
                }
            }
        }
        return true;
    }

    static int countMatching(List<PodInfo> pods, Selector selector, String namespace) {
        int n = 0;
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            if (!p.terminating() && p.namespace().equals(namespace) && selector.matches(p.labels())) {
                n++;
            }
        }
        return n;
    }

    // ---- filter ----

    @Override
    public PreFilterResult preFilter(CycleState cs, PodInfo pod, Snapshot snap) {
        List<SpreadConstraint> hard = new ArrayList<>();
        for (SpreadConstraint c : pod.spreadConstraints()) {
            if (c.doNotSchedule()) {
                hard.add(c);
            }
        }
        if (hard.isEmpty()) {
            return PreFilterResult.SKIP;
        }
        FilterState s = new FilterState();
        s.constraints = hard.toArray(new SpreadConstraint[0]);
        SpreadCounts.Key key = SpreadCounts.Key.of(pod, hard);
        SpreadCounts counts = cache.get(key);
        if (counts == null) {
            counts = new SpreadCounts(pod, s.constraints);
            cache.put(key, counts);
        }
        counts.sync(snap);
        s.counts = counts.domains;
        s.shared = true;
        s.min = new long[s.constraints.length];
        slot(cs).filter = s;
        return PreFilterResult.OK;
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
        FilterState s = slot(cs).filter;
        if (s == null || !hasAllKeys(node.labels(), s.constraints) || other.terminating()
                || !other.namespace().equals(pod.namespace())) {
            return;
        }
        if (s.shared) {
            FilterState own = s.copy();
            slot(cs).filter = own;
            s = own;
        }
        for (int i = 0; i < s.constraints.length; i++) {
            SpreadConstraint c = s.constraints[i];
            if (!included(c, pod, node) || !c.selector().matches(other.labels())) {
                continue;
            }
            long[] cnt = s.counts.get(i).computeIfAbsent(node.labels().get(c.topologyKey()), k -> new long[2]);
            cnt[0] += delta;
            s.minDirty = true;
        }
    }

    @Override
    public Status filter(CycleState cs, PodInfo pod, NodeInfo node) {
        FilterState s = slot(cs).filter;
        if (s.minDirty) {
            s.recomputeMin();
        }
        Map<String, String> labels = node.labels();
        for (int i = 0; i < s.constraints.length; i++) {
            SpreadConstraint c = s.constraints[i];
            String v = labels.get(c.topologyKey());
            if (v == null) {
                return MISSING_LABEL;
            }
            long self = c.selector().matches(pod.labels()) ? 1 : 0;
            long[] cnt = s.counts.get(i).get(v);
            long match = cnt == null ? 0 : cnt[0];
            if (match + self - s.min[i] > c.maxSkew()) {
                return SKEW;
            }
        }
        return Status.SUCCESS;
    }

    // ---- score ----

    /** The constraints used for scoring: the pod's soft ones, or the system defaults. */
    SpreadConstraint[] scoringConstraints(PodInfo pod, Snapshot snap) {
        if (!pod.spreadConstraints().isEmpty()) {
            return pod.spreadConstraints().stream().filter(c -> !c.doNotSchedule()).toArray(SpreadConstraint[]::new);
        }
        if (!systemDefaults) {
            return new SpreadConstraint[0];
        }
        Selector sel = defaultSelector(pod, snap);
        if (sel == null) {
            return new SpreadConstraint[0];
        }
        return new SpreadConstraint[] {
            SpreadConstraint.soft(3, Labels.HOSTNAME, sel), SpreadConstraint.soft(5, Labels.ZONE, sel)};
    }

    /** Upstream {@code DefaultSelector}: the pod's services' and owning workload's selectors, ANDed. */
    static Selector defaultSelector(PodInfo pod, Snapshot snap) {
        List<Selector> parts = new ArrayList<>();
        for (Selector s : snap.serviceSelectors(pod.namespace())) {
            if (!s.isEverything() && s.matches(pod.labels())) {
                parts.add(s);
            }
        }
        if (pod.ownerSelector() != null && !pod.ownerSelector().isEverything()) {
            parts.add(pod.ownerSelector());
        }
        if (parts.isEmpty()) {
            return null;
        }
        Selector sel = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            sel = Selector.allOf(sel, parts.get(i));
        }
        return sel;
    }

    @Override
    public Status preScore(CycleState cs, PodInfo pod, List<NodeInfo> feasible) {
        Snapshot snap = snapshot.get();
        SpreadConstraint[] constraints = scoringConstraints(pod, snap);
        if (constraints.length == 0) {
            return Status.SKIP;
        }
        boolean requireAll = !pod.spreadConstraints().isEmpty() || !systemDefaults;
        ScoreState s = new ScoreState();
        s.constraints = constraints;
        int[] topoSize = new int[constraints.length];
        for (int i = 0; i < constraints.length; i++) {
            s.counts.add(new HashMap<>());
        }
        for (NodeInfo n : feasible) {
            if (requireAll && !hasAllKeys(n.labels(), constraints)) {
                s.ignored.add(n.name());
                continue;
            }
            for (int i = 0; i < constraints.length; i++) {
                SpreadConstraint c = constraints[i];
                if (c.topologyKey().equals(Labels.HOSTNAME)) {
                    continue;
                }
                // A node without the key (allowed for the system defaults) forms the "" domain, as upstream.
                String v = n.labels().getOrDefault(c.topologyKey(), "");
                if (!s.counts.get(i).containsKey(v)) {
                    s.counts.get(i).put(v, new long[1]);
                    topoSize[i]++;
                }
            }
        }
        s.weights = new double[constraints.length];
        for (int i = 0; i < constraints.length; i++) {
            int size = topoSize[i];
            if (constraints[i].topologyKey().equals(Labels.HOSTNAME)) {
                size = feasible.size() - s.ignored.size();
            }
            s.weights[i] = Math.log(size + 2);
        }
        for (NodeInfo n : snap.nodes()) {
            if (requireAll && !hasAllKeys(n.labels(), constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.length; i++) {
                SpreadConstraint c = constraints[i];
                if (c.topologyKey().equals(Labels.HOSTNAME) || !included(c, pod, n)) {
                    continue;
                }
                long[] cnt = s.counts.get(i).get(n.labels().getOrDefault(c.topologyKey(), ""));
                if (cnt != null) {
                    cnt[0] += countMatching(n.pods(), c.selector(), pod.namespace());
                }
            }
        }
        slot(cs).score = s;
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState cs, PodInfo pod, NodeInfo node) {
        ScoreState s = slot(cs).score;
        if (s.ignored.contains(node.name())) {
            return INVALID;
        }
        double score = 0;
        for (int i = 0; i < s.constraints.length; i++) {
            SpreadConstraint c = s.constraints[i];
            String v = node.labels().get(c.topologyKey());
            if (v == null) {
                continue;
            }
            long cnt;
            if (c.topologyKey().equals(Labels.HOSTNAME)) {
                cnt = countMatching(node.pods(), c.selector(), pod.namespace());
            } else {
                long[] x = s.counts.get(i).get(v);
                cnt = x == null ? 0 : x[0];
            }
            score += cnt * s.weights[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    /** Ignored nodes carry {@link #INVALID} until here and end with 0, as upstream's invalidScore. */
    @Override
    public void normalize(CycleState cs, PodInfo pod, long[] scores, int n) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < n; i++) {
            long v = scores[i];
            if (v == INVALID) {
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < n; i++) {
            long v = scores[i];
            if (v == INVALID) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX;
            } else {
                scores[i] = MAX * (max + min - v) / max;
            }
        }
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(
                EventRegistration.of(ClusterEvent.Resource.ASSIGNED_POD,
                        ClusterEvent.ADD | ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_LABEL),
                EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.DELETE
                        | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT));
    }

    static final long MAX = Framework.MAX_NODE_SCORE;
    static final long INVALID = -1;
}
