package io.kplane.wal;

/**
 * One Raft log entry as the WAL stores it.
 *
 * @param index the log index (≥ 1)
 * @param term  the term the entry was created in
 * @param type  the entry type (the Raft core's ordinal: normal, configuration change, …)
 * @param data  the payload; never null (empty for a leader's no-op entry)
 */
public record WalEntry(long index, long term, byte type, byte[] data) {
    public WalEntry {
        if (data == null) {
            data = new byte[0];
        }
    }
}
