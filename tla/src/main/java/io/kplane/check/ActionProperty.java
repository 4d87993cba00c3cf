package io.kplane.check;

/** A named predicate over one step (before, after) that must hold for every reachable step. */
public record ActionProperty<S>(String name, StepPredicate<S> holds) {

    /** A predicate over a step. */
    @FunctionalInterface
    public interface StepPredicate<S> {
        boolean test(S before, S after);
    }
}
