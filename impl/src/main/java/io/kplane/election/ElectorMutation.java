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
    RENEW_AFTER_DEADLINE,
    /**
     * After one failed try (a read that fails, or a write that conflicts) the elector stops
     * campaigning for good, as a retry loop that returns on its first error instead of waiting
     * retryPeriod and trying again. Safe (an elector that stops only believes less), but not
     * live: once every candidate has failed once, nobody ever takes the lease again.
     */
    GIVE_UP_AFTER_FAILED_TRY,
    /**
     * A leader that reads its own Lease while it still believes it leads does not write it back
     * (holding is taken for renewing). Its renew deadline then runs out every renewDeadline +
     * retryPeriod and it takes the Lease back only afterwards: safe (the Lease unchanged, the
     * others' wait keeps running), but leadership lapses again and again while nothing fails.
     */
    LEADER_SKIPS_RENEWAL
}
