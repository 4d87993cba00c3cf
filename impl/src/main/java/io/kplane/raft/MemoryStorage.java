package io.kplane.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link RaftStorage}: the "disk" of tests, the simulation and the model checker, and the cache the
 * runtime keeps in front of its write-ahead log. Single-threaded like the core that reads it.
 *
 * <p>Internally {@code ents.get(0)} is a dummy entry holding the index and term of the snapshot, so that
 * {@code term(firstIndex() - 1)} is always answerable.
 */
public final class MemoryStorage implements RaftStorage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    private ArrayList<Entry> ents;

    public MemoryStorage() {
        ents = new ArrayList<>();
        ents.add(new Entry(0, 0, EntryType.NORMAL, null));
    }

    private MemoryStorage(MemoryStorage o) {
        hardState = o.hardState;
        snapshot = o.snapshot;
        ents = new ArrayList<>(o.ents);
    }

    /**
     * Storage for a founding member of a new cluster: a bootstrap snapshot at index 1, term 1 with the initial
     * configuration (and empty data), and hard state {@code term=1, commit=1}. Members added later start from an
     * empty {@code new MemoryStorage()} and receive the configuration with a snapshot from the leader.
     */
    public static MemoryStorage bootstrap(ConfState initial) {
        if (initial.voters().isEmpty()) throw new IllegalArgumentException("a new cluster needs at least one voter");
        MemoryStorage s = new MemoryStorage();
        s.applySnapshot(new Snapshot(new SnapshotMetadata(1, 1, initial), new byte[0]));
        s.setHardState(new HardState(1, 0, 1));
        return s;
    }

    /** A deep copy (entries are immutable and shared). */
    public MemoryStorage copy() {
        return new MemoryStorage(this);
    }

    @Override
    public InitialState initialState() {
        return new InitialState(hardState, snapshot.metadata().confState());
    }

    public HardState hardState() {
        return hardState;
    }

    public void setHardState(HardState hs) {
        hardState = hs;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSize) {
        long offset = ents.get(0).index();
        if (lo <= offset) throw new LogCompactedException("entries from " + lo + " compacted (first index " + (offset + 1) + ")");
        if (hi > lastIndex() + 1) throw new IllegalArgumentException("entries up to " + hi + " out of bound, last index " + lastIndex());
        if (lo >= hi) return List.of();
        List<Entry> all = ents.subList((int) (lo - offset), (int) (hi - offset));
        return List.copyOf(RaftLog.limitSize(all, maxSize));
    }

    @Override
    public long term(long i) {
        long offset = ents.get(0).index();
        if (i < offset) throw new LogCompactedException("term of " + i + " compacted (snapshot index " + offset + ")");
        if (i - offset >= ents.size()) throw new IllegalArgumentException("term of " + i + " unavailable, last index " + lastIndex());
        return ents.get((int) (i - offset)).term();
    }

    @Override
    public long firstIndex() {
        return ents.get(0).index() + 1;
    }

    @Override
    public long lastIndex() {
        return ents.get(0).index() + ents.size() - 1;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Replaces the whole log by a snapshot received from the leader (ignored if older than ours). */
    public void applySnapshot(Snapshot snap) {
        if (snap.index() <= snapshot.index()) return;
        snapshot = snap;
        ents = new ArrayList<>();
        ents.add(new Entry(snap.term(), snap.index(), EntryType.NORMAL, null));
    }

    /**
     * Records a snapshot of the application's state as of applied index {@code i} (which must be in the log).
     * Call {@link #compact(long)} afterwards to release entries.
     */
    public Snapshot createSnapshot(long i, ConfState cs, byte[] data) {
        if (i <= snapshot.index()) throw new IllegalStateException("snapshot at " + i + " is not newer than " + snapshot.index());
        if (i > lastIndex()) throw new IllegalArgumentException("snapshot index " + i + " beyond last index " + lastIndex());
        snapshot = new Snapshot(new SnapshotMetadata(i, term(i), cs), data);
        return snapshot;
    }

    /** Discards entries up to and including {@code compactIndex} (which must not exceed the last index). */
    public void compact(long compactIndex) {
        long offset = ents.get(0).index();
        if (compactIndex <= offset) return;
        if (compactIndex > lastIndex()) throw new IllegalArgumentException("compact " + compactIndex + " beyond last index " + lastIndex());
        int i = (int) (compactIndex - offset);
        ArrayList<Entry> rest = new ArrayList<>(ents.size() - i);
        Entry e = ents.get(i);
        rest.add(new Entry(e.term(), e.index(), EntryType.NORMAL, null));
        rest.addAll(ents.subList(i + 1, ents.size()));
        ents = rest;
    }

    /**
     * Appends persisted entries; entries overlapping the current log replace the conflicting suffix. The new
     * entries must be contiguous and must not leave a gap after the last index.
     */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) return;
        long first = firstIndex();
        long last = entries.get(0).index() + entries.size() - 1;
        if (last < first) return; // entirely compacted already
        for (int k = 1; k < entries.size(); k++) {
            if (entries.get(k).index() != entries.get(k - 1).index() + 1) throw new IllegalArgumentException("entries not contiguous");
        }
        if (first > entries.get(0).index()) entries = entries.subList((int) (first - entries.get(0).index()), entries.size());
        long offset = entries.get(0).index() - ents.get(0).index();
        if (offset > ents.size()) {
            throw new IllegalArgumentException("missing log entry: last index " + lastIndex() + ", appended at " + entries.get(0).index());
        }
        if (offset < ents.size()) ents.subList((int) offset, ents.size()).clear();
        ents.addAll(entries);
    }
}
