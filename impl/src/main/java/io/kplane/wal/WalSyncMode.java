package io.kplane.wal;

/** Whether {@link WriteAheadLog#sync()} really reaches the disk. */
public enum WalSyncMode {
    /** {@code fdatasync} ({@code FileChannel.force(false)}) per batch: the default, always. */
    FSYNC,
    /**
     * Writes reach the page cache only: a machine crash loses acknowledged data. Only for
     * benchmarks that print that they use it.
     */
    NO_FSYNC
}
