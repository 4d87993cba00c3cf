package io.kplane.raft;

/** Index and term of the last entry a snapshot covers, and the configuration as of that entry. */
public record SnapshotMetadata(long index, long term, ConfState confState) {
    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(0, 0, ConfState.EMPTY);
}
