package io.kplane.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A Raft snapshot's data as the runtime writes it: the members (names, addresses) as of the
 * snapshot's index, then the state machine's own bytes. Raft's configuration in the snapshot
 * metadata holds only ids; a member that installs the snapshot (a new one, or one far behind)
 * learns from here where the members it never heard of live. Data without the magic prefix (the
 * bootstrap snapshot, a restored backup, snapshots of older versions) is state machine bytes only.
 *
 * @param members the members, or null when the data carried none
 * @param state   the state machine's snapshot
 */
record SnapshotMembers(List<Member> members, byte[] state) {
    private static final byte[] MAGIC = {'K', 'P', 'M', 'E', 'M', 'B', 'R', '1'};

    static byte[] wrap(List<Member> members, byte[] state) {
        byte[] m = Member.encodeAll(members);
        return ByteBuffer.allocate(MAGIC.length + 4 + m.length + state.length).put(MAGIC).putInt(m.length).put(m)
                .put(state).array();
    }

    static SnapshotMembers unwrap(byte[] data) {
        if (data.length < MAGIC.length + 4 || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return new SnapshotMembers(null, data);
        }
        ByteBuffer b = ByteBuffer.wrap(data, MAGIC.length, data.length - MAGIC.length);
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new IllegalArgumentException("snapshot member block of " + len + " bytes exceeds the snapshot");
        }
        List<Member> members = Member.decodeAll(b.slice(b.position(), len));
        return new SnapshotMembers(members, Arrays.copyOfRange(data, MAGIC.length + 4 + len, data.length));
    }
}
