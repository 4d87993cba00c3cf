package io.kplane.server;

import java.nio.ByteBuffer;

/**
 * A member's status as the admin requests of the peer port report it ({@link PeerWire#OP_STATUS}):
 * 40 bytes, five big-endian longs. The member encodes it; the test fixtures' admin client decodes it.
 */
public record AdminStatus(long memberId, long leaderId, long term, long commitIndex, long appliedIndex) {
    public boolean isLeader() {
        return leaderId != 0 && leaderId == memberId;
    }

    public byte[] encode() {
        return ByteBuffer.allocate(40).putLong(memberId).putLong(leaderId).putLong(term)
                .putLong(commitIndex).putLong(appliedIndex).array();
    }

    public static AdminStatus decode(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new AdminStatus(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }
}
