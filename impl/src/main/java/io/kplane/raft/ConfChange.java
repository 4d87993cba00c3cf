package io.kplane.raft;

import java.nio.ByteBuffer;

/**
 * A single-server membership change, proposed with {@link RaftNode#proposeConfChange(ConfChange)} and carried in
 * a {@link EntryType#CONF_CHANGE} entry. The core applies it to its configuration when the entry is applied
 * (in {@link RaftNode#advance(Ready)}); only one change may be pending at a time.
 */
public record ConfChange(ConfChangeType type, long nodeId, byte[] context) {

    public ConfChange {
        if (type == null) throw new IllegalArgumentException("conf change type is required");
        if (nodeId <= 0) throw new IllegalArgumentException("node id must be > 0, was " + nodeId);
        context = context == null ? new byte[0] : context.clone();
    }

    /** A change without context. */
    public ConfChange(ConfChangeType type, long nodeId) {
        this(type, nodeId, null);
    }

    /**
     * Opaque bytes for the application, carried in the entry and ignored by the core (etcd's
     * {@code ConfChange.Context}: the runtime puts the member's name and addresses there).
     */
    @Override
    public byte[] context() {
        return context.clone();
    }

    public static ConfChange addVoter(long id) {
        return new ConfChange(ConfChangeType.ADD_VOTER, id);
    }

    public static ConfChange addLearner(long id) {
        return new ConfChange(ConfChangeType.ADD_LEARNER, id);
    }

    /** Promotion of a learner is an {@link ConfChangeType#ADD_VOTER} of a node that is already a learner. */
    public static ConfChange promoteLearner(long id) {
        return new ConfChange(ConfChangeType.ADD_VOTER, id);
    }

    public static ConfChange remove(long id) {
        return new ConfChange(ConfChangeType.REMOVE_NODE, id);
    }

    /** {@code u8 type | u64 nodeId | context}: a change without context encodes as before (9 bytes). */
    public byte[] encode() {
        return ByteBuffer.allocate(9 + context.length).put((byte) type.ordinal()).putLong(nodeId).put(context).array();
    }

    public static ConfChange decode(byte[] data) {
        if (data.length < 9) throw new IllegalArgumentException("bad conf change encoding: " + data.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(data);
        int t = b.get();
        if (t < 0 || t >= ConfChangeType.values().length) throw new IllegalArgumentException("bad conf change type " + t);
        long node = b.getLong();
        byte[] context = new byte[b.remaining()];
        b.get(context);
        return new ConfChange(ConfChangeType.values()[t], node, context);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange c && c.type == type && c.nodeId == nodeId && java.util.Arrays.equals(c.context, context);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + Long.hashCode(nodeId)) * 31 + java.util.Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return "ConfChange[type=" + type + ", nodeId=" + nodeId + (context.length > 0 ? ", context=" + context.length + " bytes" : "") + "]";
    }
}
