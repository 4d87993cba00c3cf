package io.kplane.scheduler;

import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import io.kplane.time.ManualNanoClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Schedules pending pods against a fixed cluster with the default profile, deterministically, and
 * records what each cycle saw: every node's filter verdict, every scoring plugin's normalized
 * score per feasible node with the weighted total, the chosen node, and preemption victims. Binds
 * and deletions take effect between cycles, as the API server's would. The core of
 * {@code kplane scheduler simulate}.
 */
public final class Simulation {

    /** A node's filter verdict: {@code plugin} and {@code reason} null when the node passed. */
    public record Verdict(String node, boolean feasible, String plugin, String reason) {}

    /** A feasible node's normalized score per plugin and its weighted total. */
    public record NodeScore(String node, Map<String, Long> normalized, long total) {}

    /**
     * One scheduling attempt of a pod: {@code result} is {@link Scheduler.Result}'s name, {@code
     * node} the chosen one (null unless scheduled), {@code weights} the score plugins' weights.
     */
    public record Attempt(int cycle, String result, String node, List<Verdict> filter, Map<String, Long> weights,
            List<NodeScore> scores, String postFilter, List<String> victims, String nominatedNode) {}

    /** A pending pod's attempts and the node it ended on (null if none). */
    public record Outcome(String pod, int priority, String node, List<Attempt> attempts) {}

    /** The cluster to simulate. {@code services} maps namespace/name to a selector (default spreading). */
    public record Input(List<NodeInfo.NodeSpec> nodes, List<PodInfo> bound, List<PodInfo> pending,
            Map<String, Disruption> disruptionBudgets, Map<String, Selector> services) {}

    /**
     * Time advanced between rounds once nothing is ready: past any backoff (at most 10 s), but
     * {@link #IDLE_ROUNDS} of them stay under the 5 minutes after which unschedulable pods are
     * retried without an event, so a pod that cannot fit is not retried again and again.
     */
    private static final long IDLE_STEP_NANOS = 60L * 1_000_000_000L;
    private static final int IDLE_ROUNDS = 3;

    private final ManualNanoClock now = new ManualNanoClock(1_000_000_000L);
    private final Scheduler scheduler;
    private final Map<String, PodInfo> pods = new HashMap<>();
    private final ArrayDeque<String[]> binds = new ArrayDeque<>();
    private final ArrayDeque<PodInfo> deletes = new ArrayDeque<>();
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    private int cycle;
    private Recording current;

    /** What the trace collects during one cycle. */
    private static final class Recording {
        List<Verdict> filter = List.of();
        Map<String, Long> weights = Map.of();
        List<NodeScore> scores = List.of();
        String postFilter;
        final List<String> victims = new ArrayList<>();
        String nominated;
    }

    private Simulation(long seed) {
        Binder binder = (pod, node) -> binds.add(new String[] {pod.uid(), node});
        ClusterActions actions = new ClusterActions() {
            @Override
            public void deletePod(PodInfo victim) {
                deletes.add(victim);
                recording().victims.add(victim.key() + "@" + victim.nodeName());
            }

            @Override
            public void setNominatedNode(PodInfo pod, String nodeName) {
                // The attempt's own nomination comes from its PostFilter result (see Trace).
            }
        };
        // Every node is evaluated (percentageOfNodesToScore 100), so each gets a verdict.
        scheduler = new Scheduler(now, new SplittableRandom(seed), binder, actions,
                new Scheduler.Config(100, true, true));
        scheduler.setTrace(new Trace());
        scheduler.setListener(new Scheduler.Listener() {
            @Override
            public void attempt(PodInfo pod, Scheduler.Result result, String node, long startNanos, long endNanos) {
                Recording r = recording();
                current = null;
                Outcome o = outcomes.get(pod.uid());
                if (o != null) {
                    o.attempts().add(new Attempt(++cycle, result.name(), node, r.filter, r.weights, r.scores,
                            r.postFilter, List.copyOf(r.victims), r.nominated));
                }
            }
        });
    }

    private Recording recording() {
        if (current == null) {
            current = new Recording();
        }
        return current;
    }

    /** Runs the simulation; {@code seed} drives the tie-breaks between equal scores. */
    public static List<Outcome> run(Input in, long seed) {
        Simulation s = new Simulation(seed);
        return s.simulate(in);
    }

    private List<Outcome> simulate(Input in) {
        for (NodeInfo.NodeSpec n : in.nodes()) {
            scheduler.onNodeAdd(n);
        }
        in.disruptionBudgets().forEach(scheduler::onDisruptionBudget);
        in.services().forEach((key, sel) -> scheduler.onService(key, key.substring(0, key.indexOf('/')), sel));
        for (PodInfo p : in.bound()) {
            pods.put(p.uid(), p);
            scheduler.onPodAdd(p);
        }
        for (PodInfo p : in.pending()) {
            pods.put(p.uid(), p);
            outcomes.put(p.uid(), new Outcome(p.key(), p.priority(), null, new ArrayList<>()));
            scheduler.onPodAdd(p);
            drain();
        }
        // Let pods that preempted (or wait for room) retry once their backoff has passed; stop
        // after rounds in which nothing was bound or deleted.
        for (int idle = 0; idle < IDLE_ROUNDS; ) {
            now.advance(IDLE_STEP_NANOS);
            scheduler.tick();
            idle = drain() ? 0 : idle + 1;
        }
        List<Outcome> out = new ArrayList<>();
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            PodInfo p = pods.get(e.getKey());
            Outcome o = e.getValue();
            out.add(new Outcome(o.pod(), o.priority(), p == null ? null : p.nodeName(), List.copyOf(o.attempts())));
        }
        return out;
    }

    /** Schedules until the queue has nothing ready, applying binds and deletions; true if any were applied. */
    private boolean drain() {
        boolean any = false;
        while (scheduler.scheduleOne()) {
            any |= applyEffects();
        }
        return applyEffects() || any;
    }

    private boolean applyEffects() {
        boolean any = false;
        while (!binds.isEmpty()) {
            String[] b = binds.poll();
            PodInfo old = pods.get(b[0]);
            scheduler.onBindResult(b[0], true, null);
            if (old != null) {
                PodInfo bound = old.toBuilder().nodeName(b[1]).nominatedNodeName(null).build();
                pods.put(b[0], bound);
                scheduler.onPodUpdate(old, bound);
            }
            any = true;
        }
        while (!deletes.isEmpty()) {
            PodInfo v = deletes.poll();
            if (pods.remove(v.uid()) != null) {
                scheduler.onPodDelete(v);
            }
            any = true;
        }
        return any;
    }

    private final class Trace implements CycleTrace {
        @Override
        public void filtered(PodInfo pod, NodeStatuses statuses, List<NodeInfo> feasible) {
            List<Verdict> verdicts = new ArrayList<>();
            java.util.Set<String> ok = new java.util.HashSet<>();
            for (NodeInfo n : feasible) {
                ok.add(n.name());
            }
            for (NodeInfo n : scheduler.snapshot().nodes()) {
                if (ok.contains(n.name())) {
                    verdicts.add(new Verdict(n.name(), true, null, null));
                    continue;
                }
                Status s = statuses.get(n.name());
                verdicts.add(s == null
                        ? new Verdict(n.name(), false, null, "not evaluated (the nominated node fits)")
                        : new Verdict(n.name(), false, s.plugin(), s.reason()));
            }
            recording().filter = List.copyOf(verdicts);
        }

        @Override
        public void scored(PodInfo pod, List<NodeInfo> feasible, Map<String, long[]> normalized, Map<String, Long> weights,
                long[] totals) {
            List<NodeScore> scores = new ArrayList<>();
            for (int i = 0; i < feasible.size(); i++) {
                Map<String, Long> m = new LinkedHashMap<>();
                for (Map.Entry<String, long[]> e : normalized.entrySet()) {
                    m.put(e.getKey(), e.getValue()[i]);
                }
                scores.add(new NodeScore(feasible.get(i).name(), m, totals[i]));
            }
            Map<String, Long> used = new LinkedHashMap<>();
            for (String plugin : normalized.keySet()) {
                used.put(plugin, weights.get(plugin));
            }
            Recording r = recording();
            r.scores = List.copyOf(scores);
            r.weights = used;
        }

        @Override
        public void postFiltered(PodInfo pod, Plugin.PostFilterResult result) {
            Status s = result.status();
            Recording r = recording();
            r.postFilter = s.isSuccess() ? "nominated " + result.nominatedNode() : s.reason();
            if (result.overridesNomination() && (!result.nominatedNode().isEmpty() || pod.nominatedNodeName() != null)) {
                r.nominated = result.nominatedNode();
            }
        }
    }
}
