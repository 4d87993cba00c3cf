package io.kplane.check.history;

/**
 * The sequential specification an object's history is checked against: a deterministic state
 * machine over {@link Operation}s. States must have value equality (they are cached).
 */
public interface SequentialModel<S> {

    S initial();

    /**
     * The state after {@code op} takes effect in {@code state} with the result the history
     * recorded, or {@code null} if that result is impossible in {@code state}. An
     * {@link Operation.Outcome#INFO} operation has no recorded result: it must be accepted.
     */
    S step(S state, Operation op);
}
