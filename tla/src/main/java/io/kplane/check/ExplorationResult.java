package io.kplane.check;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a search.
 *
 * @param exhaustive    every reachable state within the model's bounds was explored
 * @param depthBounded  the depth bound cut the search short
 * @param stateCapped   the distinct-state cap cut the search short
 * @param pruned        distinct states outside the model's bounds: checked, not expanded (TLC's CONSTRAINT)
 * @param actions       how often each kind of action fired (successors generated), by {@link Model#actionKind}
 * @param behaviours    each required behaviour and how many steps showed it
 */
public record ExplorationResult(String model, String bounds, ExplorationStats stats,
                                List<InvariantResult> invariants, CounterexampleTrace counterexample,
                                boolean exhaustive, boolean depthBounded, boolean stateCapped,
                                long pruned, Map<String, Long> actions, List<BehaviourResult> behaviours) {

    /**
     * @param checkedStates how many states (or, for a step property, steps) it was checked on (-1 when the
     *                      search stopped at a violation)
     * @param ofSteps       a property of steps (an action property such as LeaderAppendOnly), not of states
     */
    public record InvariantResult(String name, boolean holds, long checkedStates, boolean ofSteps) {
        /** A state invariant's result (checked on states, not steps). */
        public InvariantResult(String name, boolean holds, long checkedStates) {
            this(name, holds, checkedStates, false);
        }
    }

    /** A required behaviour and the number of steps that showed it (0: never reached). */
    public record BehaviourResult(String name, long steps) {}

    /** No invariant or action property was violated. */
    public boolean passed() {
        return counterexample == null;
    }

    /** Required behaviours the search never reached (empty when every one was). */
    public List<String> unreached() {
        return behaviours.stream().filter(b -> b.steps() == 0).map(BehaviourResult::name).toList();
    }

    /** The verdict of {@code kplane check}: nothing violated, and every required behaviour reached. */
    public boolean ok() {
        return passed() && unreached().isEmpty();
    }
}
