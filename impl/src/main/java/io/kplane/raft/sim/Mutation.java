package io.kplane.raft.sim;

import io.kplane.raft.RaftRules;

/**
 * Known bugs that the simulation and the model checker inject into the Raft core, so that they can show they
 * find them. Each constant is one real, minimal defect at one of the core's decision points, expressed as
 * {@link RaftRules} that override that one rule; {@link #NONE} runs the {@link RaftRules#STANDARD standard}
 * rules. The core itself names none of these bugs: nodes get the rules through their constructor.
 */
public enum Mutation {
    NONE(RaftRules.STANDARD),

    /** A voter grants its vote to any candidate while it has no leader, forgetting the vote it already cast. */
    GRANT_TWO_VOTES_IN_ONE_TERM(new RaftRules() {
        @Override
        public boolean mayGrantVote(long candidate, long votedFor, long leader, boolean preVoteForLaterTerm) {
            return RaftRules.STANDARD.mayGrantVote(candidate, votedFor, leader, preVoteForLaterTerm) || leader == 0;
        }
    }),

    /** The leader commits an entry of an earlier term by counting replicas (Raft paper, figure 8). */
    COMMIT_PRIOR_TERM_BY_COUNTING(new RaftRules() {
        @Override
        public boolean mayCommitByCounting(long entryTerm, long leaderTerm) {
            return entryTerm > 0;
        }
    }),

    /** A follower accepts an append without checking the term of the entry before the new ones. */
    SKIP_LOG_MATCHING_CHECK(new RaftRules() {
        @Override
        public boolean acceptsAppendAfter(boolean prevIndexInLog, boolean prevTermsMatch) {
            return prevIndexInLog;
        }
    }),

    /** A follower truncates its log after the append's previous entry even when the entries already match. */
    FOLLOWER_TRUNCATES_COMMITTED(new RaftRules() {
        @Override
        public long firstIndexToWrite(long firstConflict, long firstNewIndex) {
            return firstNewIndex;
        }
    }),

    /** A voter grants its vote without checking that the candidate's log is at least as up to date. */
    VOTE_WITHOUT_LOG_CHECK(new RaftRules() {
        @Override
        public boolean candidateLogIsUpToDate(long candidateLastIndex, long candidateLastTerm,
                                              long ownLastIndex, long ownLastTerm) {
            return true;
        }
    }),

    /** Entries are handed out for applying up to the last index instead of the commit index. */
    APPLY_UNCOMMITTED_ENTRIES(new RaftRules() {
        @Override
        public long applyLimit(long committed, long lastIndex) {
            return lastIndex;
        }
    }),

    /** Appends from an older term are processed instead of rejected (missing term check), also by leaders. */
    ACCEPT_STALE_TERM_APPEND(new RaftRules() {
        @Override
        public boolean rejectsAppendFromLowerTerm() {
            return false;
        }
    }),

    /**
     * A follower does not restart its election timer on a leader's heartbeat (only on appends), so with
     * no writes it campaigns against a live leader: safe, but leadership never settles (a liveness bug).
     */
    HEARTBEAT_LEAVES_ELECTION_TIMER(new RaftRules() {
        @Override
        public boolean heartbeatResetsElectionTimer() {
            return false;
        }
    });

    private final RaftRules rules;

    Mutation(RaftRules rules) {
        this.rules = rules;
    }

    /** The rules a node with this bug runs: the standard ones with this one decision point broken. */
    public RaftRules rules() {
        return rules;
    }
}
