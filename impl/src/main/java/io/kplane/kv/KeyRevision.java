package io.kplane.kv;

/**
 * One revision of one key: the unit of MVCC history. A key's revisions form a singly linked list,
 * newest first ({@link #older}); the store's revision log points at the same objects, so a watch
 * event and its {@code prev_kv} are one pointer hop apart.
 *
 * <p>A tombstone (the key was deleted at {@link #mod}) has {@code version == 0} and no value,
 * exactly as etcd's delete events carry it. All fields except {@code older} are immutable; {@code
 * older} is cut by compaction on the store's owner thread.
 */
final class KeyRevision {
    final byte[] key;
    final long mod;
    final int sub;
    final long create;
    final long version;
    final long lease;
    final byte[] value;
    KeyRevision older;

    KeyRevision(byte[] key, long mod, int sub, long create, long version, long lease, byte[] value,
                KeyRevision older) {
        this.key = key;
        this.mod = mod;
        this.sub = sub;
        this.create = create;
        this.version = version;
        this.lease = lease;
        this.value = value;
        this.older = older;
    }

    boolean isTombstone() {
        return version == 0;
    }

    /** The newest revision of this chain at or below {@code rev}, or null. */
    KeyRevision at(long rev) {
        KeyRevision r = this;
        while (r != null && r.mod > rev) {
            r = r.older;
        }
        return r;
    }
}
