package io.kplane.raft;

/** How the leader confirms it is still the leader before answering a read-index request. */
public enum ReadOnlyOption {
    /** ReadIndex: a heartbeat round acknowledged by a quorum. Safe without any clock assumption. */
    SAFE,
    /**
     * Lease reads: answer immediately, trusting that no other leader can exist within an election timeout of
     * the last quorum contact. <b>Clock-dependent</b>: correct only if clock drift across nodes is bounded and
     * ticks are not delayed (GC pauses, stalls). Requires {@code checkQuorum}.
     */
    LEASE_BASED
}
