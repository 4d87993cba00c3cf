package io.kplane.election;

/**
 * The decision points of {@link LeaseElector}: where its safety rests on one rule (when a leader's belief that
 * it leads ends) and where its liveness does (trying again, renewing). The default methods are client-go's rules and {@link #CLIENT_GO} is what production electors
 * run.
 *
 * <p>Why a seam: the model checker must show it catches an elector that breaks the rule, so it builds electors
 * with rules that override one of these methods; those live with the checker
 * ({@code io.kplane.check.election.ElectorMutation}), so this package carries no test-only code.
 */
public interface ElectorRules {

    /** client-go's leaderelection rules. */
    ElectorRules CLIENT_GO = new ElectorRules() {
        @Override
        public String toString() {
            return "client-go elector rules";
        }
    };

    /**
     * Whether a leader still believes it leads at local time {@code now}, given the local time its current
     * renew round gives up. client-go stops leading once that deadline passes without a successful renewal;
     * the timing bound (retryPeriod + renewDeadline + drift &lt; leaseDuration) puts that moment before any
     * other candidate may take the lease.
     */
    default boolean believesLeading(long now, long renewDeadlineAt) {
        return now < renewDeadlineAt;
    }

    /**
     * Whether a leader that reads the Lease held by another candidate, still valid, stops leading at that
     * read. client-go does not: its belief ends by its own renew deadline, not by what it reads.
     */
    default boolean stepsDownWhenAnotherHolds() {
        return false;
    }

    /**
     * Whether a candidate tries again (one retryPeriod later) after a failed read or a conflicting write.
     * client-go's loop always does; one that returned on its first error would be safe but not live.
     */
    default boolean retriesAfterFailedTry() {
        return true;
    }

    /**
     * Whether a leader that reads its own Lease while it still believes it leads writes it back (renews).
     * client-go does; without it leadership lapses every renewDeadline + retryPeriod though nothing fails.
     */
    default boolean leaderRenewsOnRead() {
        return true;
    }
}
