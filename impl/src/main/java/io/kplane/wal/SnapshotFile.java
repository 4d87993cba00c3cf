package io.kplane.wal;

/**
 * A snapshot as stored on disk.
 *
 * @param index the last log index the snapshot covers
 * @param term  the term of that entry
 * @param meta  opaque metadata of the runtime (the Raft configuration it encodes)
 * @param data  the state machine's snapshot
 */
public record SnapshotFile(long index, long term, byte[] meta, byte[] data) {
}
