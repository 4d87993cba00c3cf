package io.kplane.raft;

/**
 * The answer to a {@link RaftNode#readIndex(byte[])} request: once the local applied index reaches
 * {@code index}, a read identified by {@code context} may be served from the local state machine.
 */
public record ReadState(long index, byte[] context) {
    @Override
    public String toString() {
        return "ReadState{index=" + index + ", context=" + RaftText.bytes(context) + "}";
    }
}
