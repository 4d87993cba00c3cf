package io.kplane.wal;

import java.util.List;

/**
 * What {@link WriteAheadLog#open} found on disk.
 *
 * @param snapshot           the newest snapshot recorded in the WAL whose file is intact, or null
 * @param hardState          the last synced hard state ({@link HardStateRecord#EMPTY} for a new log)
 * @param entries            the entries after the snapshot, contiguous, in index order
 * @param truncatedTailBytes bytes of a torn or corrupt tail that were dropped (0 for a clean log)
 */
public record RecoveredLog(SnapshotFile snapshot, HardStateRecord hardState, List<WalEntry> entries,
                           long truncatedTailBytes) {
    public RecoveredLog {
        entries = List.copyOf(entries);
    }

    /** True when nothing was ever persisted. */
    public boolean isEmpty() {
        return snapshot == null && entries.isEmpty() && hardState.equals(HardStateRecord.EMPTY);
    }
}
