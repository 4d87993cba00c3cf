package io.kplane.raft;

import java.nio.ByteBuffer;

/**
 * A single-server membership change, proposed with {@link RaftNode#proposeConfChange(ConfChange)} and carried in
 * a {@link EntryType#CONF_CHANGE} entry. The core applies it to its configuration when the entry is applied
 * (in {@link RaftNode#advance(Ready)}); only one change may be pending at a time.
 */
public record ConfChange(ConfChangeType type, long nodeId) {

    public ConfChange {
        if (type == null) throw new IllegalArgumentException("conf change type is required");
        if (nodeId <= 0) throw new IllegalArgumentException("node id must be > 0, was " + nodeId);
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

    public byte[] encode() {
        return ByteBuffer.allocate(9).put((byte) type.ordinal()).putLong(nodeId).array();
    }

    public static ConfChange decode(byte[] data) {
        if (data.length != 9) throw new IllegalArgumentException("bad conf change encoding: " + data.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(data);
        int t = b.get();
        if (t < 0 || t >= ConfChangeType.values().length) throw new IllegalArgumentException("bad conf change type " + t);
        return new ConfChange(ConfChangeType.values()[t], b.getLong());
    }
}
