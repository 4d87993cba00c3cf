package io.kplane.raft;

/** How the leader replicates to one follower (see {@link Progress}). */
public enum ProgressState {
    /** One append at a time until the follower's match index is found. */
    PROBE,
    /** Optimistic pipelining, bounded by the inflight window. */
    REPLICATE,
    /** A snapshot is on the way; nothing else is sent until it is reported or acknowledged. */
    SNAPSHOT
}
