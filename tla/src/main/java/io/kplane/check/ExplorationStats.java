package io.kplane.check;

/**
 * Counters of a search.
 *
 * @param generated   successor states generated (TLC's "states generated")
 * @param distinct    distinct states found (TLC's "distinct states")
 * @param maxDepth    depth of the deepest level reached (the initial states are depth 0)
 * @param elapsedNanos wall time
 */
public record ExplorationStats(long generated, long distinct, int maxDepth, long elapsedNanos) {

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    /** Generated states per second. */
    public double generatedPerSecond() {
        return elapsedNanos == 0 ? 0 : generated / seconds();
    }

    /** Distinct states per second. */
    public double distinctPerSecond() {
        return elapsedNanos == 0 ? 0 : distinct / seconds();
    }
}
