package io.kplane.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random-walk simulation over a {@link Model} (TLC's {@code -simulate}): from an initial state,
 * take a uniformly chosen successor, again and again, checking every invariant and action property
 * on the way; a walk ends at its length limit, at a state outside the bounds or at a deadlock, and
 * the next walk starts from Init. No visited set, so it reaches depths and cluster sizes a
 * breadth-first search cannot, at the price of exhaustiveness. Seeded: the same seed gives the same
 * walks; a violation prints the walk that led to it.
 */
public final class RandomWalk<S> {

    /** The outcome: walks and steps taken, the violated property and the walk up to it (or null). */
    public record Result(long walks, long steps, int deepest, String violated, List<String> trace, double seconds) {
        public boolean passed() {
            return violated == null;
        }
    }

    private final Model<S> model;
    private final long seed;

    public RandomWalk(Model<S> model, long seed) {
        this.model = model;
        this.seed = seed;
    }

    /**
     * @param walks   number of walks
     * @param length  steps per walk at most
     * @param progress called about every 2 s with (walks, steps so far), or null
     */
    public Result run(long walks, int length, java.util.function.BiConsumer<Long, Long> progress) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long start = System.nanoTime();
        long last = start;
        long steps = 0;
        int deepest = 0;
        List<String> actions = new ArrayList<>();
        List<S> succ = new ArrayList<>();
        for (long w = 0; w < walks; w++) {
            List<S> inits = model.initialStates();
            S s = inits.get(rnd.nextInt(inits.size()));
            actions.clear();
            actions.add("Init\n" + model.describe(s));
            String v = violatedInvariant(s);
            if (v != null) {
                return new Result(w + 1, steps, 0, v, List.copyOf(actions), secs(start));
            }
            for (int d = 0; d < length && model.withinBounds(s); d++) {
                succ.clear();
                List<String> labels = new ArrayList<>();
                model.successors(s, (a, t) -> {
                    succ.add(t);
                    labels.add(a);
                });
                if (succ.isEmpty()) {
                    break;
                }
                int k = rnd.nextInt(succ.size());
                S t = succ.get(k);
                steps++;
                deepest = Math.max(deepest, d + 1);
                actions.add(labels.get(k) + "\n" + model.describe(t));
                for (ActionProperty<S> p : model.actionProperties()) {
                    if (!p.holds().test(s, t)) {
                        return new Result(w + 1, steps, deepest, p.name(), List.copyOf(actions), secs(start));
                    }
                }
                v = violatedInvariant(t);
                if (v != null) {
                    return new Result(w + 1, steps, deepest, v, List.copyOf(actions), secs(start));
                }
                s = t;
            }
            long now = System.nanoTime();
            if (progress != null && now - last > 2_000_000_000L) {
                last = now;
                progress.accept(w + 1, steps);
            }
        }
        return new Result(walks, steps, deepest, null, List.of(), secs(start));
    }

    private String violatedInvariant(S s) {
        for (Invariant<S> i : model.invariants()) {
            if (!i.holds().test(s)) {
                return i.name();
            }
        }
        return null;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
