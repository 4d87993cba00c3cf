package io.kplane.server;

import java.nio.ByteBuffer;

/**
 * Carries batches of encoded Raft messages between members. One call to {@link #send} is one
 * frame and (over TCP) one flush. Delivery is best effort: a frame to an unreachable or slow peer
 * is dropped and Raft retransmits. Implementations: {@link NettyPeerTransport} (TCP) and, in the
 * test fixtures ({@code impl/src/testFixtures}), {@code InMemoryNetwork} (in-process, for tests).
 */
public interface PeerTransport extends AutoCloseable {

    /** Starts listening and connecting; {@code listener} receives inbound traffic on I/O threads. */
    void start(InboundListener listener);

    /**
     * Sends one frame body to member {@code to}. Never blocks. The buffer's remaining bytes are
     * copied or taken over; the caller must not reuse it.
     *
     * @return false if the frame was dropped at once (peer not connected, or its connection not
     *         writable because it does not keep up): the caller must report the peer unreachable
     *         to Raft, or replication to it can stall with a full window of lost appends
     */
    boolean send(long to, ByteBuffer body);

    /**
     * The members to talk to changed (a membership change was applied, or a snapshot or the log
     * said who they are): dial the new ones, forget the removed ones, re-dial moved ones. Called on
     * the Raft agent thread. Transports with a fixed set of peers ignore it.
     */
    default void setPeers(java.util.Map<Long, java.net.InetSocketAddress> peers, java.util.Map<Long, String> names) {
    }

    /** Peers that currently have an established outbound connection (for status/tests). */
    default boolean isConnected(long to) {
        return true;
    }

    @Override
    void close();
}
