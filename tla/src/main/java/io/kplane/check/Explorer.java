package io.kplane.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.agrona.collections.Long2LongHashMap;

/**
 * Breadth-first explicit-state search over a {@link Model}.
 *
 * <p>Visited states are kept only as 64-bit fingerprints, each mapped to the fingerprint of the
 * state it was first reached from. A counterexample is rebuilt from those parent pointers by
 * re-running the model from the initial state and, at each step, picking the successor with the
 * next fingerprint on the path (as TLC does), so the search never stores full states beyond the
 * BFS frontier. Breadth-first order makes every counterexample a shortest one.
 *
 * <p>Single-threaded and deterministic: the same model and bounds give the same numbers and the
 * same trace every run.
 */
public final class Explorer<S> {

    /** Receives progress while the search runs. */
    @FunctionalInterface
    public interface Progress {
        void report(ExplorationStats soFar, int frontier);
    }

    private static final long NO_PARENT = 0x8000_0000_0000_0001L;   // parent entry of initial states
    private static final long MISSING = Long.MIN_VALUE;

    private final Model<S> model;
    private final int maxDepth;
    private final long maxStates;
    private final Progress progress;
    private final long progressIntervalNanos;
    // Counters of the current run (the explorer is single-threaded and runs once at a time).
    private long prunedCount;
    private long[] reachedCounts;
    private Map<String, long[]> actionCounts;

    /**
     * @param maxDepth  states at this depth are not expanded
     * @param maxStates stop (as incomplete) after this many distinct states; a safety valve
     */
    public Explorer(Model<S> model, int maxDepth, long maxStates, Progress progress, long progressIntervalNanos) {
        this.model = Objects.requireNonNull(model);
        this.maxDepth = maxDepth;
        this.maxStates = maxStates;
        this.progress = progress;
        this.progressIntervalNanos = progressIntervalNanos;
    }

    public Explorer(Model<S> model, int maxDepth) {
        this(model, maxDepth, Long.MAX_VALUE, null, Long.MAX_VALUE);
    }

    /** Runs the search to completion, to a bound, or to the first violation. */
    public ExplorationResult run() {
        long start = System.nanoTime();
        long lastProgress = start;
        Long2LongHashMap parent = new Long2LongHashMap(1 << 16, 0.6f, MISSING);
        ArrayDeque<S> level = new ArrayDeque<>();
        long generated = 0;
        long distinct = 0;
        int depth = 0;
        boolean depthBounded = false;
        long[] checkedOn = new long[model.invariants().size()];
        List<RequiredBehaviour<S>> required = model.requiredBehaviours();
        long[] reached = new long[required.size()];
        Map<String, long[]> actions = new TreeMap<>();
        this.reachedCounts = reached;
        this.actionCounts = actions;
        this.prunedCount = 0;

        for (S init : model.initialStates()) {
            generated++;
            long fp = canonical(model.fingerprint(init));
            if (parent.containsKey(fp)) {
                continue;
            }
            parent.put(fp, NO_PARENT);
            distinct++;
            Violation v = checkState(init, checkedOn);
            if (v != null) {
                return violation(v, fp, null, null, parent, stats(generated, distinct, 0, start));
            }
            level.add(init);
        }

        List<S> nextLevel = new ArrayList<>();
        long expanded = 0;
        while (!level.isEmpty()) {
            if (depth >= maxDepth) {
                depthBounded = true;
                break;
            }
            ArrayDeque<S> next = new ArrayDeque<>();
            while (!level.isEmpty()) {
                S s = level.poll();
                if (!model.withinBounds(s)) {
                    prunedCount++;
                    continue;
                }
                long sfp = canonical(model.fingerprint(s));
                nextLevel.clear();
                final long[] gen = {0};
                final Violation[] stepViolation = {null};
                final String[] stepAction = {null};
                final Object[] stepTarget = {null};
                model.successors(s, (action, t) -> {
                    gen[0]++;
                    if (stepViolation[0] != null) {
                        return;
                    }
                    actions.computeIfAbsent(model.actionKind(action), k -> new long[1])[0]++;
                    for (int b = 0; b < reached.length; b++) {
                        if (required.get(b).reached().test(s, action, t)) {
                            reached[b]++;
                        }
                    }
                    for (ActionProperty<S> p : model.actionProperties()) {
                        if (!p.holds().test(s, t)) {
                            stepViolation[0] = new Violation(p.name(), true);
                            stepAction[0] = action;
                            stepTarget[0] = t;
                            return;
                        }
                    }
                    nextLevel.add(t);
                });
                generated += gen[0];
                if (stepViolation[0] != null) {
                    @SuppressWarnings("unchecked") S t = (S) stepTarget[0];
                    return violation(stepViolation[0], sfp, stepAction[0], t, parent,
                            stats(generated, distinct, depth + 1, start));
                }
                for (S t : nextLevel) {
                    long fp = canonical(model.fingerprint(t));
                    if (parent.containsKey(fp)) {
                        continue;
                    }
                    parent.put(fp, sfp);
                    distinct++;
                    Violation v = checkState(t, checkedOn);
                    if (v != null) {
                        return violation(v, fp, null, null, parent, stats(generated, distinct, depth + 1, start));
                    }
                    next.add(t);
                    if (distinct >= maxStates) {
                        return finish(checkedOn, stats(generated, distinct, depth + 1, start), false, true);
                    }
                }
                if (progress != null && (++expanded & 255) == 0) {
                    long now = System.nanoTime();
                    if (now - lastProgress >= progressIntervalNanos) {
                        lastProgress = now;
                        progress.report(stats(generated, distinct, depth, start), level.size() + next.size());
                    }
                }
            }
            if (!next.isEmpty()) {
                depth++;
            }
            level = next;
        }
        ExplorationStats st = stats(generated, distinct, depth, start);
        return finish(checkedOn, st, depthBounded, false);
    }

    private ExplorationResult finish(long[] checkedOn, ExplorationStats st, boolean depthBounded, boolean stateCapped) {
        List<ExplorationResult.InvariantResult> results = new ArrayList<>();
        List<Invariant<S>> invs = model.invariants();
        for (int i = 0; i < invs.size(); i++) {
            results.add(new ExplorationResult.InvariantResult(invs.get(i).name(), true, checkedOn[i]));
        }
        for (ActionProperty<S> p : model.actionProperties()) {
            results.add(new ExplorationResult.InvariantResult(p.name(), true, st.generated(), true));
        }
        return new ExplorationResult(model.name(), model.describeBounds(), st, results, null,
                !depthBounded && !stateCapped, depthBounded, stateCapped, prunedCount, actionCounts(), behaviourResults());
    }

    private Map<String, Long> actionCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (actionCounts != null) {
            actionCounts.forEach((k, v) -> out.put(k, v[0]));
        }
        return out;
    }

    private List<ExplorationResult.BehaviourResult> behaviourResults() {
        List<RequiredBehaviour<S>> required = model.requiredBehaviours();
        List<ExplorationResult.BehaviourResult> out = new ArrayList<>();
        for (int b = 0; b < required.size(); b++) {
            out.add(new ExplorationResult.BehaviourResult(required.get(b).name(),
                    reachedCounts == null ? 0 : reachedCounts[b]));
        }
        return out;
    }

    private record Violation(String name, boolean action) {}

    private Violation checkState(S s, long[] checkedOn) {
        List<Invariant<S>> invs = model.invariants();
        for (int i = 0; i < invs.size(); i++) {
            checkedOn[i]++;
            if (!invs.get(i).holds().test(s)) {
                return new Violation(invs.get(i).name(), false);
            }
        }
        return null;
    }

    private ExplorationResult violation(Violation v, long lastFp, String extraAction, S extraState,
                                        Long2LongHashMap parent, ExplorationStats st) {
        List<CounterexampleTrace.Step> steps = rebuild(lastFp, parent);
        if (extraState != null) {
            steps.add(new CounterexampleTrace.Step(steps.size() + 1, extraAction, model.describe(extraState)));
        }
        List<ExplorationResult.InvariantResult> results = new ArrayList<>();
        for (Invariant<S> inv : model.invariants()) {
            results.add(new ExplorationResult.InvariantResult(inv.name(), !inv.name().equals(v.name()), -1));
        }
        for (ActionProperty<S> p : model.actionProperties()) {
            results.add(new ExplorationResult.InvariantResult(p.name(), !p.name().equals(v.name()), -1, true));
        }
        return new ExplorationResult(model.name(), model.describeBounds(), st, results,
                new CounterexampleTrace(v.name(), steps), false, false, false, prunedCount, actionCounts(), behaviourResults());
    }

    /** Walks parent pointers back to an initial state, then replays forward to recover states and actions. */
    private List<CounterexampleTrace.Step> rebuild(long lastFp, Long2LongHashMap parent) {
        ArrayDeque<Long> path = new ArrayDeque<>();
        long fp = lastFp;
        while (fp != NO_PARENT) {
            path.push(fp);
            fp = parent.get(fp);
            if (fp == MISSING) {
                throw new IllegalStateException("broken parent chain");
            }
        }
        List<CounterexampleTrace.Step> steps = new ArrayList<>();
        long first = path.pop();
        S current = null;
        for (S init : model.initialStates()) {
            if (canonical(model.fingerprint(init)) == first) {
                current = init;
                break;
            }
        }
        if (current == null) {
            throw new IllegalStateException("initial state of the trace not found");
        }
        steps.add(new CounterexampleTrace.Step(1, "Init", model.describe(current)));
        while (!path.isEmpty()) {
            long want = path.pop();
            Object[] hit = new Object[2];
            model.successors(current, (action, t) -> {
                if (hit[0] == null && canonical(model.fingerprint(t)) == want) {
                    hit[0] = t;
                    hit[1] = action;
                }
            });
            if (hit[0] == null) {
                throw new IllegalStateException("model is not deterministic: cannot replay the trace");
            }
            @SuppressWarnings("unchecked") S next = (S) hit[0];
            current = next;
            steps.add(new CounterexampleTrace.Step(steps.size() + 1, (String) hit[1], model.describe(current)));
        }
        return steps;
    }

    private static long canonical(long fp) {
        // Two values are reserved by the parent map; remap the (astronomically unlikely) hits.
        return fp == MISSING || fp == NO_PARENT ? fp ^ 0x55 : fp;
    }

    private static ExplorationStats stats(long generated, long distinct, int depth, long startNanos) {
        return new ExplorationStats(generated, distinct, depth, System.nanoTime() - startNanos);
    }
}
