package io.kplane.scheduler;

import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import io.kplane.scheduler.plugins.NodeResourcesFit;
import io.kplane.time.NanoClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The scheduler core: cluster events in, scheduling decisions out. Single-threaded and
 * deterministic given its inputs (events, the {@link Clock}, the seeded random source). A runtime
 * calls the {@code on*} methods for informer events and bind results, and {@link #scheduleOne}
 * in a loop; bindings leave through the {@link Binder} and complete asynchronously.
 */
public final class Scheduler {

    /**
     * Scheduler-wide settings. {@code percentageOfNodesToScore == 0} selects the adaptive default.
     * {@code fastPaths} enables evaluations on sums and indexes that give the same results as the
     * straightforward plugin runs (off only to compare the two in tests).
     */
    public record Config(int percentageOfNodesToScore, boolean popFromBackoffQ, boolean fastPaths) {
        public static final Config DEFAULT = new Config(0, true, true);

        public Config(int percentageOfNodesToScore, boolean popFromBackoffQ) {
            this(percentageOfNodesToScore, popFromBackoffQ, true);
        }
    }

    /** Outcome of one scheduling attempt. */
    public enum Result { SCHEDULED, UNSCHEDULABLE, ERROR, WAITING }

    /** Observes attempts and bindings (metrics, benchmarks). Called on the scheduler thread. */
    public interface Listener {
        default void attempt(PodInfo pod, Result result, String node, long startNanos, long endNanos) {}

        default void bound(PodInfo pod, String node, int attempts, long firstAttemptNanos) {}

        Listener NONE = new Listener() {};
    }

    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private final NanoClock clock;
    private final RandomGenerator random;
    private final Config config;
    private final SchedulerCache cache = new SchedulerCache();
    private final Snapshot snapshot = new Snapshot();
    private final SchedulingQueue queue;
    private final Framework framework;
    private final ClusterActions actions;
    private Listener listener = Listener.NONE;
    private CycleTrace trace = CycleTrace.NONE;
    private int nextStartNodeIndex;
    private final HashMap<String, Binding> binding = new HashMap<>();
    private final HashMap<String, Binding> waiting = new HashMap<>();
    private final ArrayList<NodeInfo> feasible = new ArrayList<>();
    private final NominatedIndex nominatedIndex = new NominatedIndex();
    private final FailedFitScan lastFailedScan = new FailedFitScan();

    /** A pod between assume and its binding result (or waiting at Permit). */
    private record Binding(QueuedPodInfo queued, CycleState state, PodInfo assumed, long deadline) {}

    /** Builds the plugins of a profile once the shared pieces exist. */
    @FunctionalInterface
    public interface ProfileFactory {
        java.util.LinkedHashMap<Plugin, Integer> plugins(Scheduler scheduler);
    }

    /** A scheduler with the default profile (upstream's default plugins and weights). */
    public Scheduler(NanoClock clock, RandomGenerator random, Binder binder, ClusterActions actions, Config config) {
        this(clock, random, actions, config, s -> DefaultProfile.plugins(s, binder));
    }

    public Scheduler(NanoClock clock, RandomGenerator random, ClusterActions actions, Config config, ProfileFactory profile) {
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.actions = Objects.requireNonNull(actions);
        this.config = config;
        Framework[] fw = new Framework[1];
        this.queue = new SchedulingQueue(p -> fw[0].runPreEnqueue(p), new HashMap<>(), config.popFromBackoffQ());
        this.framework = fw[0] = new Framework(profile.plugins(this));
        queue.setRegistrations(framework.eventRegistrations());
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Observes the filter verdicts, scores and PostFilter outcome of each cycle. */
    public void setTrace(CycleTrace trace) {
        this.trace = Objects.requireNonNull(trace);
    }

    // ---- what plugins may use ----

    public Snapshot snapshot() { return snapshot; }
    public SchedulingQueue queue() { return queue; }
    public SchedulerCache cache() { return cache; }
    public Framework framework() { return framework; }
    public ClusterActions actions() { return actions; }
    public RandomGenerator random() { return random; }
    public NanoClock clock() { return clock; }
    public Config config() { return config; }

    // ---- cluster events ----

    public void onNodeAdd(NodeInfo.NodeSpec node) {
        cache.addNode(node);
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD), null, node, clock.nanoTime());
    }

    public void onNodeUpdate(NodeInfo.NodeSpec oldNode, NodeInfo.NodeSpec node) {
        cache.updateNode(node);
        int actionsMask = 0;
        if (!oldNode.labels().equals(node.labels())) actionsMask |= ClusterEvent.UPDATE_NODE_LABEL;
        if (!oldNode.taints().equals(node.taints())) actionsMask |= ClusterEvent.UPDATE_NODE_TAINT;
        if (!oldNode.allocatable().equals(node.allocatable())) actionsMask |= ClusterEvent.UPDATE_NODE_ALLOCATABLE;
        if (oldNode.unschedulable() != node.unschedulable()) actionsMask |= ClusterEvent.UPDATE_NODE_SCHEDULABLE;
        if (actionsMask == 0) actionsMask = ClusterEvent.UPDATE_OTHER;
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.NODE, actionsMask), oldNode, node, clock.nanoTime());
    }

    public void onNodeDelete(String name) {
        NodeInfo.NodeSpec old = cache.node(name);
        cache.removeNode(name);
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.DELETE), old, null, clock.nanoTime());
    }

    public void onPodAdd(PodInfo pod) {
        long now = clock.nanoTime();
        if (pod.nodeName() != null) {
            cache.addPod(pod);
            queue.delete(pod.uid());
            queue.onEvent(new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.ADD), null, pod, now);
        } else {
            queue.add(pod, now);
        }
    }

    public void onPodUpdate(PodInfo oldPod, PodInfo pod) {
        long now = clock.nanoTime();
        if (pod.nodeName() == null) {
            queue.update(oldPod, pod, now);
            return;
        }
        boolean wasAssigned = oldPod != null && oldPod.nodeName() != null;
        cache.addPod(pod);
        queue.delete(pod.uid());
        int mask;
        if (!wasAssigned) {
            mask = ClusterEvent.ADD;
        } else {
            mask = 0;
            if (!oldPod.labels().equals(pod.labels())) mask |= ClusterEvent.UPDATE_POD_LABEL;
            Resources a = oldPod.requests();
            Resources b = pod.requests();
            if (b.milliCpu() < a.milliCpu() || b.memory() < a.memory()) mask |= ClusterEvent.UPDATE_POD_SCALE_DOWN;
            if (mask == 0) mask = ClusterEvent.UPDATE_OTHER;
        }
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, mask), oldPod, pod, now);
    }

    public void onPodDelete(PodInfo pod) {
        long now = clock.nanoTime();
        Binding w = waiting.remove(pod.uid());
        if (w != null) {
            framework.runUnreserve(w.state(), w.assumed(), w.assumed().nodeName());
            cache.forgetPod(pod.uid());
        }
        queue.delete(pod.uid());
        PodInfo cached = cache.pod(pod.uid());
        if (cached != null) {
            cache.removePod(pod.uid());
            queue.onEvent(new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.DELETE), cached, null, now);
        }
    }

    public void onNamespace(String namespace, Map<String, String> labels) {
        cache.setNamespaceLabels(namespace, labels);
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.NAMESPACE, ClusterEvent.ADD), null, null, clock.nanoTime());
    }

    public void onDisruptionBudget(String key, Disruption pdb) {
        if (pdb == null) {
            cache.removeDisruption(key);
        } else {
            cache.putDisruption(key, pdb);
        }
    }

    public void onService(String key, String namespace, Selector selector) {
        if (selector == null) {
            cache.removeService(key);
        } else {
            cache.putService(key, namespace, selector);
        }
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.SERVICE, ClusterEvent.ADD), null, null, clock.nanoTime());
    }

    /** The result of an asynchronous binding started by this scheduler. */
    public void onBindResult(String uid, boolean ok, String error) {
        Binding b = binding.remove(uid);
        if (b == null) {
            return;
        }
        String node = b.assumed().nodeName();
        if (ok) {
            cache.finishBinding(uid);
            queue.done(uid);
            framework.runPostBind(b.state(), b.assumed(), node);
            listener.bound(b.assumed(), node, b.queued().attempts(), b.queued().initialAttemptTimestamp());
            return;
        }
        failBinding(b, error);
    }

    private void failBinding(Binding b, String error) {
        long now = clock.nanoTime();
        PodInfo assumed = b.assumed();
        framework.runUnreserve(b.state(), assumed, assumed.nodeName());
        cache.forgetPod(assumed.uid());
        // Resources were freed: pods waiting for them may fit now.
        queue.onEvent(new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.DELETE), assumed, null, now);
        queue.addUnschedulable(b.queued(), true, now);
    }

    /** Permit: let a waiting pod proceed to binding. */
    public void allowWaiting(String uid) {
        Binding w = waiting.remove(uid);
        if (w != null) {
            bind(w);
        }
    }

    /** Permit: reject a waiting pod. */
    public void rejectWaiting(String uid, String reason) {
        Binding w = waiting.remove(uid);
        if (w != null) {
            failBinding(w, reason);
        }
    }

    /** Periodic housekeeping: permit timeouts and the unschedulable-pool timeout. */
    public void tick() {
        long now = clock.nanoTime();
        for (Iterator<Binding> it = waiting.values().iterator(); it.hasNext(); ) {
            Binding w = it.next();
            if (w.deadline() <= now) {
                it.remove();
                failBinding(w, "permit timeout");
            }
        }
        queue.flushUnschedulableLeftover(now);
    }

    // ---- scheduling ----

    /** Runs one scheduling cycle if a pod is ready; returns false when there was none. */
    public boolean scheduleOne() {
        long start = clock.nanoTime();
        QueuedPodInfo q = queue.pop(start);
        if (q == null) {
            return false;
        }
        PodInfo pod = q.pod();
        cache.updateSnapshot(snapshot);
        CycleState state = framework.newCycleState();
        Decision d = schedulePod(state, pod);
        if (d.node == null) {
            handleFailure(q, state, pod, d, start);
            return true;
        }
        PodInfo assumed = pod.toBuilder().nodeName(d.node).nominatedNodeName(null).build();
        cache.assumePod(assumed);
        Status s = framework.runReserve(state, assumed, d.node);
        if (!s.isSuccess()) {
            cache.forgetPod(pod.uid());
            q.unschedulablePlugins.add(s.plugin());
            queue.addUnschedulable(q, s.code() == Status.Code.ERROR, clock.nanoTime());
            listener.attempt(pod, Result.UNSCHEDULABLE, null, start, clock.nanoTime());
            return true;
        }
        s = framework.runPermit(state, assumed, d.node);
        if (s.isRejected() || s.code() == Status.Code.ERROR) {
            framework.runUnreserve(state, assumed, d.node);
            cache.forgetPod(pod.uid());
            q.unschedulablePlugins.add(s.plugin());
            queue.addUnschedulable(q, s.code() == Status.Code.ERROR, clock.nanoTime());
            listener.attempt(pod, Result.UNSCHEDULABLE, null, start, clock.nanoTime());
            return true;
        }
        if (queue.nominatedNode(pod.uid()) != null) {
            queue.deleteNominated(pod.uid());
        }
        Binding b = new Binding(q, state, assumed, start + framework.permitTimeout());
        if (s.code() == Status.Code.WAIT) {
            waiting.put(pod.uid(), b);
            listener.attempt(pod, Result.WAITING, d.node, start, clock.nanoTime());
            return true;
        }
        bind(b);
        listener.attempt(pod, Result.SCHEDULED, d.node, start, clock.nanoTime());
        return true;
    }

    private void bind(Binding b) {
        PodInfo assumed = b.assumed();
        String node = assumed.nodeName();
        Status s = framework.runPreBind(b.state(), assumed, node);
        if (!s.isSuccess()) {
            failBinding(b, s.reason());
            return;
        }
        binding.put(assumed.uid(), b);
        s = framework.runBind(b.state(), assumed, node);
        if (s.isSuccess()) {
            onBindResult(assumed.uid(), true, null);
        } else if (s.code() != Status.Code.PENDING) {
            binding.remove(assumed.uid());
            failBinding(b, s.reason());
        }
    }

    private void handleFailure(QueuedPodInfo q, CycleState state, PodInfo pod, Decision d, long start) {
        if (d.error != null) {
            queue.addUnschedulable(q, true, clock.nanoTime());
            listener.attempt(pod, Result.ERROR, null, start, clock.nanoTime());
            return;
        }
        q.unschedulablePlugins.addAll(d.rejectors);
        if (framework.hasPostFilter()) {
            Plugin.PostFilterResult r = framework.runPostFilter(state, pod, d.statuses);
            trace.postFiltered(pod, r);
            if (r.overridesNomination()) {
                String node = r.nominatedNode().isEmpty() ? null : r.nominatedNode();
                String before = queue.nominatedNode(pod.uid());
                if (before == null) {
                    before = pod.nominatedNodeName();
                }
                PodInfo nominated = pod.withNominatedNodeName(node);
                q.pod = nominated;
                if (node == null) {
                    // Upstream clears a stale nomination when preemption cannot help anywhere.
                    queue.deleteNominated(pod.uid());
                } else {
                    queue.addNominated(nominated, node);
                }
                if (!Objects.equals(before, node)) {
                    actions.setNominatedNode(pod, node);
                }
            }
        }
        queue.addUnschedulable(q, false, clock.nanoTime());
        listener.attempt(pod, Result.UNSCHEDULABLE, null, start, clock.nanoTime());
    }

    /** The result of {@link #schedulePod}: a node, or why not. */
    static final class Decision {
        String node;
        String error;
        NodeStatuses statuses;
        Set<String> rejectors = Set.of();
        int evaluated;
        int feasible;
    }

    /** Filters and scores; the decision for one pod against the current snapshot. */
    Decision schedulePod(CycleState state, PodInfo pod) {
        Decision d = new Decision();
        if (snapshot.size() == 0) {
            d.error = "no nodes available to schedule pods";
            return d;
        }
        NodeStatuses statuses = new NodeStatuses(snapshot);
        d.statuses = statuses;
        Framework.PreFilterOutcome pre = framework.runPreFilter(state, pod, snapshot);
        if (!pre.status().isSuccess()) {
            if (pre.status().code() == Status.Code.ERROR) {
                d.error = pre.status().reason();
                return d;
            }
            statuses.setAbsentStatus(pre.status());
            d.rejectors = pre.rejectors();
            if (trace != CycleTrace.NONE) {
                trace.filtered(pod, statuses, List.of());
            }
            return d;
        }
        findFeasible(state, pod, pre.nodeNames(), statuses);
        d.feasible = feasible.size();
        if (trace != CycleTrace.NONE) {
            trace.filtered(pod, statuses, List.copyOf(feasible));
        }
        if (feasible.isEmpty()) {
            d.rejectors = statuses.rejectors();
            if (pre.nodeNames() != null) {
                statuses.setAbsentStatus(Status.unresolvable("", "node(s) didn't satisfy PreFilter result"));
            }
            return d;
        }
        if (feasible.size() == 1) {
            d.node = feasible.get(0).name();
            return d;
        }
        Status s = framework.runPreScore(state, pod, feasible);
        if (!s.isSuccess()) {
            d.error = s.reason();
            return d;
        }
        long[] scores = framework.runScore(state, pod, feasible);
        if (trace != CycleTrace.NONE) {
            traceScores(state, pod, scores);
        }
        d.node = feasible.get(selectHost(scores, feasible.size())).name();
        return d;
    }

    private void traceScores(CycleState state, PodInfo pod, long[] scores) {
        long[] totals = java.util.Arrays.copyOf(scores, feasible.size());
        Map<String, Long> weights = framework.scoreWeights();
        Map<String, long[]> normalized = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : framework.scoreBreakdown(state, pod, feasible).entrySet()) {
            long w = weights.get(e.getKey());
            long[] v = e.getValue().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = w == 0 ? 0 : v[i] / w;
            }
            normalized.put(e.getKey(), v);
        }
        trace.scored(pod, List.copyOf(feasible), normalized, weights, totals);
    }

    /** Highest total score; ties broken uniformly at random (reservoir sampling, as upstream). */
    int selectHost(long[] scores, int n) {
        int selected = 0;
        long max = scores[0];
        int ties = 1;
        for (int i = 1; i < n; i++) {
            long s = scores[i];
            if (s > max) {
                max = s;
                selected = i;
                ties = 1;
            } else if (s == max) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    selected = i;
                }
            }
        }
        return selected;
    }

    /** Upstream {@code numFeasibleNodesToFind}. */
    int numFeasibleNodesToFind(int numAllNodes) {
        int pct = config.percentageOfNodesToScore();
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || pct >= 100) {
            return numAllNodes;
        }
        if (pct <= 0) {
            pct = 50 - numAllNodes / 125;
            if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
                pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
            }
        }
        int num = (int) ((long) numAllNodes * pct / 100);
        return Math.max(num, MIN_FEASIBLE_NODES_TO_FIND);
    }

    private void findFeasible(CycleState state, PodInfo pod, Set<String> restrict, NodeStatuses statuses) {
        feasible.clear();
        List<NodeInfo> nodes = snapshot.nodes();
        if (restrict != null) {
            List<NodeInfo> only = new ArrayList<>();
            for (NodeInfo n : nodes) {
                if (restrict.contains(n.name())) {
                    only.add(n);
                }
            }
            nodes = only;
        }
        boolean nominations = queue.hasNominations();
        // A pod nominated by an earlier preemption tries its nominated node first.
        String nominated = queue.nominatedNode(pod.uid());
        if (nominated != null) {
            NodeInfo n = snapshot.get(nominated);
            if (n != null && (restrict == null || restrict.contains(nominated))) {
                Status s = framework.runFiltersWithNominated(state, pod, n, queue.nominatedPods(nominated));
                if (s.isSuccess()) {
                    feasible.add(n);
                    return;
                }
                statuses.put(nominated, s);
            }
        }
        int all = nodes.size();
        int toFind = numFeasibleNodesToFind(all);
        int start = restrict == null ? nextStartNodeIndex % all : 0;
        int processed = 0;
        // When every other active filter accepts all nodes, NodeResourcesFit alone decides, on sums.
        boolean resourcesOnly = config.fastPaths() && restrict == null && pod.requests().scalars().isEmpty()
                && framework.soleNodeDependentFilter(state, pod, snapshot) instanceof NodeResourcesFit;
        int ownPosition = -1;
        if (resourcesOnly) {
            nominatedIndex.refresh(snapshot, queue);
            ownPosition = nominated == null ? -1 : snapshot.indexOf(nominated);
            // A pod like the previous one, when no node fitted that one either: only the nodes and
            // nominations that changed since are evaluated again (and if one of them fits now, all).
            if (nominated == null && lastFailedScan.reuse(this, pod, statuses)) {
                return;
            }
        }
        for (int i = 0, idx = start; i < all; i++, idx = idx + 1 == all ? 0 : idx + 1) {
            processed++;
            Status s;
            if (resourcesOnly) {
                s = fitStatus(pod, idx, ownPosition);
            } else {
                NodeInfo n = nodes.get(idx);
                // The pass without nominated pods runs first; only nodes it accepts need the lookup.
                s = framework.runFilters(state, pod, n);
                if (s.isSuccess() && nominations) {
                    List<PodInfo> nominatedHere = queue.nominatedPods(n.name());
                    if (!nominatedHere.isEmpty()) {
                        s = framework.runFiltersWithNominated(state, pod, n, nominatedHere);
                    }
                }
            }
            if (s.isSuccess()) {
                feasible.add(nodes.get(idx));
                if (feasible.size() >= toFind) {
                    break;
                }
            } else if (restrict == null) {
                statuses.put(idx, s);
            } else {
                statuses.put(nodes.get(idx).name(), s);
            }
        }
        if (restrict == null) {
            nextStartNodeIndex = (start + processed) % all;
        }
        if (resourcesOnly && nominated == null && feasible.isEmpty()) {
            lastFailedScan.remember(this, pod, statuses);
        } else {
            lastFailedScan.forget();
        }
    }

    /**
     * NodeResourcesFit's verdict at a snapshot position, with both passes of {@code
     * RunFilterPluginsWithNominatedPods}, from the snapshot's position arrays and the nominated
     * index: no NodeInfo is touched for a node that does not fit. Needs a fresh {@link #nominatedIndex}.
     */
    Status fitStatus(PodInfo pod, int idx, int ownPosition) {
        Snapshot snap = snapshot;
        Resources alloc = snap.allocatableAt(idx);
        int count = snap.podCountAt(idx);
        long cpu = snap.requestedMilliCpuAt(idx);
        long mem = snap.requestedMemoryAt(idx);
        long eph = snap.requestedEphemeralAt(idx);
        Status s = NodeResourcesFit.fits(pod, alloc, count, cpu, mem, eph);
        int c = s == Status.SUCCESS ? nominatedIndex.count(idx) : 0;
        if (c > 0 && idx != ownPosition && nominatedIndex.allCount(idx, pod.priority())) {
            // Every pod nominated here counts: the second pass on the index's sums.
            return NodeResourcesFit.fits(pod, alloc, count + c, cpu + nominatedIndex.milliCpu(idx),
                    mem + nominatedIndex.memory(idx), eph + nominatedIndex.ephemeral(idx));
        }
        if (c > 0) {
            return NodeResourcesFit.fitsWithNominated(pod, alloc, count, cpu, mem, eph,
                    queue.nominatedPods(snap.nodes().get(idx).name()));
        }
        return s;
    }

    /** The nominated index, brought up to date by the last resource-only scan. */
    NominatedIndex nominatedIndex() {
        return nominatedIndex;
    }

    /** Pods currently assumed and waiting for their binding result. */
    public int bindingsInFlight() {
        return binding.size();
    }
}
