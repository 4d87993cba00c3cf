package io.kplane.election;

/**
 * What a {@link LeaderElection} tells its owner. Both are called on the election's own thread, in
 * alternation (started, stopped, started, …); they must not block for long — start or stop the
 * leader-only work on other threads.
 */
public interface LeaderCallbacks {
    /** This process now holds the Lease: start acting. */
    void startedLeading();

    /**
     * This process no longer believes it holds the Lease (it could not renew before renewDeadline,
     * or it was stopped): stop acting at once.
     */
    void stoppedLeading();
}
