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
