package io.kplane.raft;

/**
 * Kinds of {@link Message}, following etcd-io/raft's message set.
 *
 * <p>{@link #HUP}, {@link #BEAT}, {@link #CHECK_QUORUM} are local (never sent over the wire); {@link #PROP},
 * {@link #READ_INDEX} and {@link #TRANSFER_LEADER} are local requests that followers forward to the leader;
 * {@link #SNAP_STATUS} and {@link #UNREACHABLE} are reports from the transport to the local leader.
 */
public enum MessageType {
    HUP, BEAT, PROP, APP, APP_RESP, VOTE, VOTE_RESP, PRE_VOTE, PRE_VOTE_RESP, SNAP, HEARTBEAT, HEARTBEAT_RESP,
    READ_INDEX, READ_INDEX_RESP, TIMEOUT_NOW, TRANSFER_LEADER, CHECK_QUORUM, SNAP_STATUS, UNREACHABLE;

    /** True for messages that only make sense inside one node (never handed to the transport). */
    public boolean isLocal() {
        return this == HUP || this == BEAT || this == CHECK_QUORUM || this == SNAP_STATUS || this == UNREACHABLE;
    }

    /** True for responses: their term is stamped by the sender as usual but they never start an election. */
    public boolean isResponse() {
        return this == APP_RESP || this == VOTE_RESP || this == PRE_VOTE_RESP || this == HEARTBEAT_RESP
                || this == READ_INDEX_RESP;
    }

    /** The response type for a vote request. */
    public MessageType voteResponse() {
        return switch (this) {
            case VOTE -> VOTE_RESP;
            case PRE_VOTE -> PRE_VOTE_RESP;
            default -> throw new IllegalArgumentException("not a vote request: " + this);
        };
    }
}
