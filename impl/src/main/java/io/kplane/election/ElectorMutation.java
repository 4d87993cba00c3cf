package io.kplane.election;

/**
 * Deliberate bugs that the model checker's mutation tests inject into {@link LeaseElector} to
 * prove the checker can find them. {@link #NONE} is the only value production code uses.
 */
public enum ElectorMutation {
    /** The correct elector. */
    NONE,
    /**
     * The leader ignores its renew deadline: it keeps believing it leads (and keeps renewing)
     * after renewDeadline has passed without a successful renewal.
     */
    RENEW_AFTER_DEADLINE
}
