package io.kplane.server;

/**
 * The replicated state machine that a store member applies committed Raft entries to.
 *
 * <p>Owned by the member's Raft agent thread: every method is called from that one thread (or from
 * a {@link Replica#query} task, which runs on it), so implementations need no locks. Implemented
 * by the MVCC store in {@code io.kplane.kv}; the runtime's tests use {@code AppendOnlyLog}.
 */
public interface StateMachine {

    /**
     * Applies one committed command at Raft index {@code index} and returns the response for the
     * proposer. Must be deterministic: every member applies the same commands in the same order
     * and must reach the same state. Indexes arrive strictly increasing; an index whose entry is not
     * a command (a leader's empty entry, a membership change) is never passed here, so gaps occur.
     */
    byte[] apply(long index, byte[] command);

    /** The full state (including {@link #appliedIndex()}), for Raft snapshots. */
    byte[] snapshot();

    /** Replaces the whole state with one produced by {@link #snapshot()} on some member. */
    void restore(byte[] snapshot);

    /** The Raft index of the last applied command, or of the restored snapshot; 0 when empty. */
    long appliedIndex();
}
