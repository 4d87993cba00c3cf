package io.kplane.check;

/**
 * A behaviour a search must reach for its verdict to mean something: a step (before, action,
 * after) the model's bounds are supposed to admit, such as a check-quorum step-down or a snapshot
 * install. A search that never takes such a step proves nothing about the code behind it, so
 * {@code kplane check} fails the run when a required behaviour is never reached, as a coverage
 * check of the bounds (TLC users read the same from TLC's per-action coverage).
 */
public record RequiredBehaviour<S>(String name, Step<S> reached) {

    /** Whether one step of the search shows the behaviour. */
    @FunctionalInterface
    public interface Step<S> {
        boolean test(S before, String action, S after);
    }
}
