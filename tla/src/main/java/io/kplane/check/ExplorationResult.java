package io.kplane.check;

import java.util.List;

/**
 * The outcome of a search.
 *
 * @param exhaustive    every reachable state within the model's bounds was explored
 * @param depthBounded  the depth bound cut the search short
 * @param stateCapped   the distinct-state cap cut the search short
 */
public record ExplorationResult(String model, String bounds, ExplorationStats stats,
                                List<InvariantResult> invariants, CounterexampleTrace counterexample,
                                boolean exhaustive, boolean depthBounded, boolean stateCapped) {

    /**
     * @param checkedStates how many states it was checked on (-1 when the search stopped at a violation)
     */
    public record InvariantResult(String name, boolean holds, long checkedStates) {}

    public boolean passed() {
        return counterexample == null;
    }
}
