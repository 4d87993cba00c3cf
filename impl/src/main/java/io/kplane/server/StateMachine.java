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

    /**
     * The state as it is now, for a snapshot serialized on another thread while the owner thread
     * goes on applying (a big state then does not stall the member). The default serializes at
     * once, on the owner thread.
     */
    default Capture capture() {
        byte[] bytes = snapshot();
        return new Capture() {
            @Override
            public byte[] serialize() {
                return bytes;
            }

            @Override
            public boolean stillValid() {
                return true;
            }
        };
    }

    /** A state taken by {@link #capture()}. */
    interface Capture {
        /** The {@link #snapshot()} bytes of the captured moment; may run on any thread, once. */
        byte[] serialize();

        /**
         * Called on the owner thread after {@link #serialize()} returned or failed: false if a change
         * since the capture may have disturbed the serialization, so that its bytes must not be used
         * (and a failure of it is that disturbance, not a fault of the member).
         */
        boolean stillValid();
    }

    /** Replaces the whole state with one produced by {@link #snapshot()} on some member. */
    void restore(byte[] snapshot);

    /** The Raft index of the last applied command, or of the restored snapshot; 0 when empty. */
    long appliedIndex();
}
