package io.kplane.raft;

/**
 * The decision points of the Raft core: the few places where the protocol's safety rules are applied, each a
 * small pure function of values the core already has at hand. The default methods are the rules as the Raft
 * paper and etcd-io/raft state them, and {@link #STANDARD} is what every production node runs.
 *
 * <p>Why a seam: the simulation and the model checker must show that they catch a broken rule, so they build
 * nodes with an implementation that overrides one of these methods with a known defect. Keeping those defects
 * on the checker's side ({@code io.kplane.raft.sim.Mutation}) keeps this package free of test-only code; the
 * core holds its rules in a final field, so with only {@link #STANDARD} loaded each call is monomorphic and
 * inlined, and nothing here allocates.
 */
public interface RaftRules {

    /** The rules of the Raft paper and etcd-io/raft. */
    RaftRules STANDARD = new RaftRules() {
        @Override
        public String toString() {
            return "standard Raft rules";
        }
    };

    /**
     * Whether a voter may grant a (pre-)vote to {@code candidate} as far as its earlier votes allow (§5.2: at
     * most one vote per term): it voted for this candidate already, or has neither voted nor a leader in this
     * term, or the request is a PreVote for a later term (a PreVote changes nothing, so it binds nothing).
     *
     * @param votedFor            the vote cast in the current term, 0 if none
     * @param leader              the leader known in the current term, 0 if none
     * @param preVoteForLaterTerm the request is a PreVote for a term above the voter's
     */
    default boolean mayGrantVote(long candidate, long votedFor, long leader, boolean preVoteForLaterTerm) {
        return votedFor == candidate || (votedFor == 0 && leader == 0) || preVoteForLaterTerm;
    }

    /**
     * Whether a candidate's log is at least as up to date as the voter's (§5.4.1): a later last term, or the
     * same last term and at least as long. This is what keeps committed entries in every future leader's log.
     */
    default boolean candidateLogIsUpToDate(long candidateLastIndex, long candidateLastTerm,
                                           long ownLastIndex, long ownLastTerm) {
        return candidateLastTerm > ownLastTerm || (candidateLastTerm == ownLastTerm && candidateLastIndex >= ownLastIndex);
    }

    /**
     * Whether a follower accepts an append that follows the leader's entry at {@code prevIndex} (the log-matching
     * consistency check, §5.3): only if it holds an entry there with the same term.
     *
     * @param prevIndexInLog the follower's log covers {@code prevIndex} (compacted or beyond the end: false)
     * @param prevTermsMatch the follower's entry at {@code prevIndex} has the leader's term for it
     */
    default boolean acceptsAppendAfter(boolean prevIndexInLog, boolean prevTermsMatch) {
        return prevTermsMatch;
    }

    /**
     * Where a follower starts writing an accepted append (§5.3): at the first new entry that conflicts with
     * its log or extends it, so entries that already match stay — a delayed, shorter append from the current
     * leader must not cut off entries appended since.
     *
     * @param firstConflict the index of the first new entry the log does not hold with the same term, 0 if all match
     * @param firstNewIndex the index of the first entry the append carries
     * @return the first index to write, 0 for nothing
     */
    default long firstIndexToWrite(long firstConflict, long firstNewIndex) {
        return firstConflict;
    }

    /**
     * Whether a leader may commit its entry at a replicated index by counting replicas (§5.4.2, figure 8): only
     * an entry of its own term; earlier terms' entries are committed indirectly, by the Log Matching Property.
     */
    default boolean mayCommitByCounting(long entryTerm, long leaderTerm) {
        return entryTerm == leaderTerm;
    }

    /** The last index a node may hand to its state machine: nothing that is not committed (§5.3). */
    default long applyLimit(long committed, long lastIndex) {
        return Math.min(committed, lastIndex);
    }

    /**
     * Whether an append from an older term is rejected (§5.1: a request with a stale term is refused; the
     * sender learns the newer term from the reply).
     */
    default boolean rejectsAppendFromLowerTerm() {
        return true;
    }

    /**
     * Whether a follower's election timer restarts on a leader's heartbeat, as it does on an append: with no
     * writes, heartbeats are all that keeps a live leader's followers from campaigning.
     */
    default boolean heartbeatResetsElectionTimer() {
        return true;
    }
}
