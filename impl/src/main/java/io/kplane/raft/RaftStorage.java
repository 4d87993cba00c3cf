package io.kplane.raft;

import java.util.List;

/**
 * The persisted part of the log as seen by the core (etcd-io/raft's {@code Storage}). The application writes to
 * it (entries, hard state, snapshots from {@link Ready}); the core only reads. Everything here is on stable
 * storage: entries the core holds but has not yet handed out in a {@link Ready} are not.
 *
 * <p>Indexes: the storage holds entries {@code [firstIndex(), lastIndex()]}; the entry just before
 * {@code firstIndex()} is the last one covered by {@link #snapshot()}, and its term is still available via
 * {@link #term(long)}. An empty storage has {@code firstIndex() == 1, lastIndex() == 0}.
 */
public interface RaftStorage {

    /** Persisted hard state and the configuration as of the latest snapshot (or bootstrap). */
    InitialState initialState();

    /**
     * Entries {@code [lo, hi)}, at most {@code maxSize} bytes (by {@link Entry#size()}) but at least one entry.
     *
     * @throws LogCompactedException if {@code lo < firstIndex()}
     * @throws IllegalArgumentException if {@code hi > lastIndex() + 1}
     */
    List<Entry> entries(long lo, long hi, long maxSize);

    /**
     * Term of entry {@code i}, for {@code firstIndex() - 1 <= i <= lastIndex()}.
     *
     * @throws LogCompactedException if {@code i < firstIndex() - 1}
     * @throws IllegalArgumentException if {@code i > lastIndex()}
     */
    long term(long i);

    long firstIndex();

    long lastIndex();

    /** The most recent snapshot (what the leader sends to followers that need compacted entries). */
    Snapshot snapshot();

    /** Persisted hard state and configuration. */
    record InitialState(HardState hardState, ConfState confState) {
    }
}
