package io.kplane.raft;

/**
 * <b>Test only.</b> Known bugs that can be injected into the core through {@link RaftConfig#mutation()}, so that
 * the simulation and the model checker can show they find them. Each constant is one real, minimal defect in
 * the code path it names. Production code always uses {@link #NONE}.
 */
public enum Mutation {
    NONE,
    /** A voter grants its vote to any candidate while it has no leader, forgetting the vote it already cast. */
    GRANT_TWO_VOTES_IN_ONE_TERM,
    /** The leader commits an entry of an earlier term by counting replicas (Raft paper, figure 8). */
    COMMIT_PRIOR_TERM_BY_COUNTING,
    /** A follower accepts an append without checking the term of the entry before the new ones. */
    SKIP_LOG_MATCHING_CHECK,
    /** A follower truncates its log after the append's previous entry even when the entries already match. */
    FOLLOWER_TRUNCATES_COMMITTED,
    /** A voter grants its vote without checking that the candidate's log is at least as up to date. */
    VOTE_WITHOUT_LOG_CHECK,
    /** Entries are handed out for applying up to the last index instead of the commit index. */
    APPLY_UNCOMMITTED_ENTRIES,
    /** Appends from an older term are processed instead of rejected (missing term check), also by leaders. */
    ACCEPT_STALE_TERM_APPEND,
    /**
     * A follower does not restart its election timer on a leader's heartbeat (only on appends), so with
     * no writes it campaigns against a live leader: safe, but leadership never settles (a liveness bug).
     */
    HEARTBEAT_LEAVES_ELECTION_TIMER
}
