package io.kplane.scheduler.framework;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a profile's plugins at each extension point, in registration order (upstream {@code
 * frameworkImpl}). Single-threaded: the score scratch arrays are reused between cycles.
 */
public final class Framework {

    /** Upstream {@code MaxNodeScore}. */
    public static final long MAX_NODE_SCORE = 100;

    private final List<Plugin> all = new ArrayList<>();
    private final List<Plugin.PreEnqueue> preEnqueue = new ArrayList<>();
    private final List<Plugin.PreFilter> preFilter = new ArrayList<>();
    private final List<Plugin.Filter> filter = new ArrayList<>();
    private final List<Plugin.PostFilter> postFilter = new ArrayList<>();
    private final List<Plugin.PreScore> preScore = new ArrayList<>();
    private final List<Plugin.Score> score = new ArrayList<>();
    private final List<Plugin.Reserve> reserve = new ArrayList<>();
    private final List<Plugin.Permit> permit = new ArrayList<>();
    private final List<Plugin.PreBind> preBind = new ArrayList<>();
    private final List<Plugin.Bind> bind = new ArrayList<>();
    private final List<Plugin.PostBind> postBind = new ArrayList<>();
    private final Map<Plugin, Integer> slots = new HashMap<>();
    private final Plugin.PreFilter.Extensions[] extensions;
    private final int[] extensionSlots;
    private final int[] filterSlots;
    private final int[] scoreSlots;
    private final long[] scoreWeights;
    private long[] scratch = new long[0];
    private long[] totals = new long[0];

    /**
     * @param plugins plugins in profile order with their score weights (weight ignored for
     *     non-score plugins)
     */
    public Framework(LinkedHashMap<Plugin, Integer> plugins) {
        int slot = 0;
        List<Long> weights = new ArrayList<>();
        for (Map.Entry<Plugin, Integer> e : plugins.entrySet()) {
            Plugin p = e.getKey();
            slots.put(p, slot);
            p.setSlot(slot++);
            all.add(p);
            if (p instanceof Plugin.PreEnqueue x) preEnqueue.add(x);
            if (p instanceof Plugin.PreFilter x) preFilter.add(x);
            if (p instanceof Plugin.Filter x) filter.add(x);
            if (p instanceof Plugin.PostFilter x) postFilter.add(x);
            if (p instanceof Plugin.PreScore x) preScore.add(x);
            if (p instanceof Plugin.Score x) {
                score.add(x);
                weights.add((long) e.getValue());
            }
            if (p instanceof Plugin.Reserve x) reserve.add(x);
            if (p instanceof Plugin.Permit x) permit.add(x);
            if (p instanceof Plugin.PreBind x) preBind.add(x);
            if (p instanceof Plugin.Bind x) bind.add(x);
            if (p instanceof Plugin.PostBind x) postBind.add(x);
        }
        extensions = preFilter.stream().map(Plugin.PreFilter::extensions).filter(x -> x != null)
                .toArray(Plugin.PreFilter.Extensions[]::new);
        extensionSlots = preFilter.stream().filter(p -> p.extensions() != null).mapToInt(slots::get).toArray();
        filterSlots = filter.stream().mapToInt(slots::get).toArray();
        scoreSlots = score.stream().mapToInt(slots::get).toArray();
        scoreWeights = weights.stream().mapToLong(Long::longValue).toArray();
    }

    public CycleState newCycleState() {
        return new CycleState(all.size());
    }

    public List<Plugin> plugins() {
        return all;
    }

    public boolean hasPostFilter() {
        return !postFilter.isEmpty();
    }

    /** Plugin name to its event registrations, for the queue. */
    public Map<String, List<EventRegistration>> eventRegistrations() {
        Map<String, List<EventRegistration>> m = new HashMap<>();
        for (Plugin p : all) {
            m.put(p.name(), p.eventsToRegister());
        }
        return m;
    }

    public Status runPreEnqueue(PodInfo pod) {
        for (Plugin.PreEnqueue p : preEnqueue) {
            Status s = p.preEnqueue(pod);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /** PreFilter outcome: status, the rejecting plugin names, and the intersected node-name restriction. */
    public record PreFilterOutcome(Status status, Set<String> rejectors, Set<String> nodeNames) {}

    public PreFilterOutcome runPreFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        Set<String> names = null;
        for (Plugin.PreFilter p : preFilter) {
            Plugin.PreFilterResult r = p.preFilter(state, pod, snapshot);
            Status s = r.status();
            if (s.isSkip()) {
                state.setSkipFilter(slots.get(p));
                continue;
            }
            if (!s.isSuccess()) {
                return new PreFilterOutcome(s, Set.of(p.name()), names);
            }
            if (r.nodeNames() != null) {
                if (names == null) {
                    names = new HashSet<>(r.nodeNames());
                } else {
                    names.retainAll(r.nodeNames());
                }
                if (names.isEmpty()) {
                    return new PreFilterOutcome(Status.unresolvable(p.name(), "node(s) didn't satisfy plugin(s) [" + p.name() + "]"),
                            Set.of(p.name()), names);
                }
            }
        }
        return new PreFilterOutcome(Status.SUCCESS, Set.of(), names);
    }

    /** Runs filters in order and stops at the first rejection. */
    public Status runFilters(CycleState state, PodInfo pod, NodeInfo node) {
        for (int i = 0; i < filterSlots.length; i++) {
            if (state.skipFilter(filterSlots[i])) {
                continue;
            }
            Status s = filter.get(i).filter(state, pod, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /**
     * The one filter active in this cycle whose verdict can differ between the snapshot's nodes
     * (every other active filter {@linkplain Plugin.Filter#acceptsAllNodes accepts all nodes}), or
     * null when there are several or none. Lets the scheduler evaluate just that filter per node.
     */
    public Plugin.Filter soleNodeDependentFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        Plugin.Filter sole = null;
        for (int i = 0; i < filterSlots.length; i++) {
            if (state.skipFilter(filterSlots[i])) {
                continue;
            }
            Plugin.Filter f = filter.get(i);
            if (!f.acceptsAllNodes(state, pod, snapshot)) {
                if (sole != null) {
                    return null;
                }
                sole = f;
            }
        }
        return sole;
    }

    /**
     * Upstream {@code RunFilterPluginsWithNominatedPods}: if pods of equal or higher priority are
     * nominated to the node, the pod must fit with them added too (and also without them, for
     * inter-pod affinity that the nominated pods might satisfy).
     */
    public Status runFiltersWithNominated(CycleState state, PodInfo pod, NodeInfo node, List<PodInfo> nominated) {
        // Both passes must succeed, so the cheap pass (no nominated pods, no copies) goes first.
        Status plain = runFilters(state, pod, node);
        if (!plain.isSuccess() || nominated.isEmpty()) {
            return plain;
        }
        CycleState stateWith = null;
        NodeInfo nodeWith = null;
        for (int i = 0; i < nominated.size(); i++) {
            PodInfo np = nominated.get(i);
            if (np.priority() >= pod.priority() && !np.uid().equals(pod.uid())) {
                if (nodeWith == null) {
                    stateWith = copyForWhatIf(state);
                    nodeWith = node.copy();
                }
                nodeWith.addPod(np);
                for (Plugin.PreFilter.Extensions x : extensions) {
                    x.addPod(stateWith, pod, np, nodeWith);
                }
            }
        }
        return nodeWith == null ? plain : runFilters(stateWith, pod, nodeWith);
    }

    /**
     * A state that what-if evaluations (nominated pods, preemption) may change through the
     * PreFilter extensions: a copy when some plugin with extensions is active in this cycle, else
     * the state itself (no plugin would change it).
     */
    public CycleState copyForWhatIf(CycleState state) {
        for (int slot : extensionSlots) {
            if (!state.skipFilter(slot)) {
                return state.copy();
            }
        }
        return state;
    }

    public void runAddPodExtensions(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {
        for (Plugin.PreFilter.Extensions x : extensions) {
            x.addPod(state, pod, added, node);
        }
    }

    public void runRemovePodExtensions(CycleState state, PodInfo pod, PodInfo removed, NodeInfo node) {
        for (Plugin.PreFilter.Extensions x : extensions) {
            x.removePod(state, pod, removed, node);
        }
    }

    public Plugin.PostFilterResult runPostFilter(CycleState state, PodInfo pod, NodeStatuses statuses) {
        Plugin.PostFilterResult last = new Plugin.PostFilterResult(Status.unschedulable("", "no PostFilter plugin"), null);
        for (Plugin.PostFilter p : postFilter) {
            Plugin.PostFilterResult r = p.postFilter(state, pod, statuses);
            if (r.status().isSuccess()) {
                return r;
            }
            last = r;
        }
        return last;
    }

    public Status runPreScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
        for (Plugin.PreScore p : preScore) {
            Status s = p.preScore(state, pod, feasible);
            if (s.isSkip()) {
                state.setSkipScore(slots.get(p));
            } else if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Scores the feasible nodes: each plugin's scores, normalized, times its weight, summed. The
     * returned array is scratch space valid until the next call; entries {@code [0, n)} are used.
     */
    public long[] runScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
        int n = feasible.size();
        if (totals.length < n) {
            totals = new long[Math.max(n, totals.length * 2)];
            scratch = new long[totals.length];
        }
        java.util.Arrays.fill(totals, 0, n, 0);
        for (int p = 0; p < scoreSlots.length; p++) {
            if (state.skipScore(scoreSlots[p])) {
                continue;
            }
            Plugin.Score plugin = score.get(p);
            for (int i = 0; i < n; i++) {
                scratch[i] = plugin.score(state, pod, feasible.get(i));
            }
            plugin.normalize(state, pod, scratch, n);
            long w = scoreWeights[p];
            for (int i = 0; i < n; i++) {
                long s = scratch[i];
                if (s > MAX_NODE_SCORE || s < 0) {
                    throw new IllegalStateException(plugin.name() + " returned score " + s + " outside [0,100]");
                }
                totals[i] += s * w;
            }
        }
        return totals;
    }

    /** Score plugin name to its weight in this profile. */
    public Map<String, Long> scoreWeights() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int p = 0; p < score.size(); p++) {
            out.put(score.get(p).name(), scoreWeights[p]);
        }
        return out;
    }

    /** Per-plugin weighted scores for one cycle (diagnostics and tests; allocates). */
    public Map<String, long[]> scoreBreakdown(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
        Map<String, long[]> out = new LinkedHashMap<>();
        int n = feasible.size();
        for (int p = 0; p < scoreSlots.length; p++) {
            if (state.skipScore(scoreSlots[p])) {
                continue;
            }
            Plugin.Score plugin = score.get(p);
            long[] s = new long[n];
            for (int i = 0; i < n; i++) {
                s[i] = plugin.score(state, pod, feasible.get(i));
            }
            plugin.normalize(state, pod, s, n);
            for (int i = 0; i < n; i++) {
                s[i] *= scoreWeights[p];
            }
            out.put(plugin.name(), s);
        }
        return out;
    }

    public Status runReserve(CycleState state, PodInfo pod, String node) {
        for (int i = 0; i < reserve.size(); i++) {
            Status s = reserve.get(i).reserve(state, pod, node);
            if (!s.isSuccess()) {
                // Unreserve every reserve plugin, in reverse order, as upstream does.
                runUnreserve(state, pod, node);
                return s;
            }
        }
        return Status.SUCCESS;
    }

    public void runUnreserve(CycleState state, PodInfo pod, String node) {
        for (int i = reserve.size() - 1; i >= 0; i--) {
            reserve.get(i).unreserve(state, pod, node);
        }
    }

    /** Permit: SUCCESS, a rejection, or WAIT with {@link #permitTimeout} set by the longest waiter. */
    public Status runPermit(CycleState state, PodInfo pod, String node) {
        Status result = Status.SUCCESS;
        for (Plugin.Permit p : permit) {
            Status s = p.permit(state, pod, node);
            if (s.code() == Status.Code.WAIT) {
                result = s;
            } else if (!s.isSuccess()) {
                return s;
            }
        }
        return result;
    }

    public long permitTimeout() {
        long t = 0;
        for (Plugin.Permit p : permit) {
            t = Math.max(t, p.waitTimeoutNanos());
        }
        return t;
    }

    public Status runPreBind(CycleState state, PodInfo pod, String node) {
        for (Plugin.PreBind p : preBind) {
            Status s = p.preBind(state, pod, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    public Status runBind(CycleState state, PodInfo pod, String node) {
        for (Plugin.Bind p : bind) {
            Status s = p.bind(state, pod, node);
            if (!s.isSkip()) {
                return s;
            }
        }
        return Status.error("", "no bind plugin bound the pod");
    }

    public void runPostBind(CycleState state, PodInfo pod, String node) {
        for (Plugin.PostBind p : postBind) {
            p.postBind(state, pod, node);
        }
    }

    /** Default normalization (upstream {@code helper.DefaultNormalizeScore}). */
    public static void defaultNormalize(long[] scores, int n, boolean reverse) {
        long max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, scores[i]);
        }
        if (max == 0) {
            if (reverse) {
                for (int i = 0; i < n; i++) {
                    scores[i] = MAX_NODE_SCORE;
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            long s = MAX_NODE_SCORE * scores[i] / max;
            scores[i] = reverse ? MAX_NODE_SCORE - s : s;
        }
    }
}
