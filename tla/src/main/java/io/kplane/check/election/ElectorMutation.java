package io.kplane.check.election;

import io.kplane.election.ElectorRules;

/**
 * Deliberate bugs that the model checker's mutation tests inject into {@link io.kplane.election.LeaseElector},
 * each as {@link ElectorRules} that break one rule, to show the checker finds them. {@link #NONE} runs
 * client-go's rules.
 */
public enum ElectorMutation {
    /** The correct elector. */
    NONE(ElectorRules.CLIENT_GO),
    /**
     * The leader ignores its renew deadline: it keeps believing it leads (and keeps renewing) after
     * renewDeadline has passed without a successful renewal, and only stops when it reads the Lease held
     * by someone else.
     */
    RENEW_AFTER_DEADLINE(new ElectorRules() {
        @Override
        public boolean believesLeading(long now, long renewDeadlineAt) {
            return true;
        }

        @Override
        public boolean stepsDownWhenAnotherHolds() {
            return true;
        }
    }),
    /**
     * After one failed try (a read that fails, or a write that conflicts) the elector stops campaigning for
     * good, as a retry loop that returns on its first error. Safe (an elector that stops only believes less),
     * but not live: once every candidate has failed once, nobody ever takes the Lease again.
     */
    GIVE_UP_AFTER_FAILED_TRY(new ElectorRules() {
        @Override
        public boolean retriesAfterFailedTry() {
            return false;
        }
    }),
    /**
     * A leader that reads its own Lease while it still believes it leads does not write it back (holding is
     * taken for renewing). Its renew deadline then runs out every renewDeadline + retryPeriod and it takes the
     * Lease back only afterwards: safe, but leadership lapses again and again while nothing fails.
     */
    LEADER_SKIPS_RENEWAL(new ElectorRules() {
        @Override
        public boolean leaderRenewsOnRead() {
            return false;
        }
    });

    private final ElectorRules rules;

    ElectorMutation(ElectorRules rules) {
        this.rules = rules;
    }

    /** The rules an elector with this bug runs. */
    public ElectorRules rules() {
        return rules;
    }
}
