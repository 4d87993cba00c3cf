package io.kplane.raft;

import java.util.Arrays;

/**
 * One log entry. Immutable by convention: {@code data} is never modified after construction, so entries are
 * shared freely between the log, storage, messages and copies made by the model checker.
 *
 * <p>An entry with {@link EntryType#NORMAL} and empty data is the no-op a new leader appends to commit entries
 * of earlier terms.
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (type == null) type = EntryType.NORMAL;
        if (data == null) data = EMPTY;
    }

    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    /** Approximate encoded size in bytes, used for flow control ({@code maxSizePerMsg}, inflight bytes). */
    public long size() {
        return data.length + 24;
    }

    /** The same entry at another term/index (used when a leader appends proposals). */
    Entry at(long newTerm, long newIndex) {
        return new Entry(newTerm, newIndex, type, data);
    }

    /** Content equality (records compare arrays by identity). */
    public boolean sameAs(Entry o) {
        return o == this || (o != null && o.term == term && o.index == index && o.type == type
                && Arrays.equals(o.data, data));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && sameAs(e);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term * 31 + index) * 31 + Arrays.hashCode(data) + type.ordinal();
    }

    @Override
    public String toString() {
        return RaftText.entry(this);
    }
}
