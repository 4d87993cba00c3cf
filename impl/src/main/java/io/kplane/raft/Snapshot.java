package io.kplane.raft;

/**
 * A state-machine snapshot: the application's data as of {@code metadata.index()}. Data is opaque to Raft.
 * The bootstrap snapshot written by {@link MemoryStorage#bootstrap} has empty data: an application must treat
 * empty snapshot data as its initial (empty) state.
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {
    private static final byte[] NONE = new byte[0];
    public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, NONE);

    public Snapshot {
        if (metadata == null) metadata = SnapshotMetadata.EMPTY;
        if (data == null) data = NONE;
    }

    public long index() {
        return metadata.index();
    }

    public long term() {
        return metadata.term();
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }
}
