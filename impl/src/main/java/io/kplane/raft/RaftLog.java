package io.kplane.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the core sees it: the persisted part in {@link RaftStorage} followed by the unstable part (entries
 * and possibly a snapshot not yet handed out for persisting), plus the commit and applied indexes.
 */
final class RaftLog {

    /** The node's rules for matching, overwriting and applying entries. */
    private final RaftRules rules;
    RaftStorage storage;
    /** Snapshot received from the leader, not yet persisted. */
    Snapshot unstableSnapshot;
    /** Unstable entries; the first has index {@code offset}. */
    ArrayList<Entry> unstable;
    long offset;
    long committed;
    long applied;

    RaftLog(RaftStorage storage, RaftRules rules) {
        this.rules = rules;
        this.storage = storage;
        this.unstable = new ArrayList<>();
        this.offset = storage.lastIndex() + 1;
        // The application's state starts at the snapshot (which may be newer than first-1 when the storage keeps
        // some entries before the snapshot for slow followers).
        long start = Math.max(storage.firstIndex() - 1, storage.snapshot().index());
        this.committed = start;
        this.applied = start;
    }

    RaftLog copy(RaftStorage storageCopy) {
        RaftLog c = new RaftLog(storageCopy, rules);
        c.unstableSnapshot = unstableSnapshot;
        c.unstable = new ArrayList<>(unstable);
        c.offset = offset;
        c.committed = committed;
        c.applied = applied;
        return c;
    }

    long firstIndex() {
        if (unstableSnapshot != null) return unstableSnapshot.index() + 1;
        return storage.firstIndex();
    }

    long lastIndex() {
        if (!unstable.isEmpty()) return offset + unstable.size() - 1;
        if (unstableSnapshot != null) return unstableSnapshot.index();
        return storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** Term of entry i, or 0 if it is compacted (before first-1) or beyond the last index. */
    long term(long i) {
        long dummy = firstIndex() - 1;
        if (i < dummy || i > lastIndex()) return 0;
        if (i >= offset && !unstable.isEmpty()) return unstable.get((int) (i - offset)).term();
        if (unstableSnapshot != null) {
            if (i == unstableSnapshot.index()) return unstableSnapshot.term();
            if (i < offset) return 0;
        }
        if (i < storage.firstIndex() - 1 || i > storage.lastIndex()) return 0;
        return storage.term(i);
    }

    boolean matchTerm(long i, long t) {
        if (i < firstIndex() - 1 || i > lastIndex()) return false;
        return term(i) == t;
    }

    boolean isUpToDate(long lasti, long t) {
        return rules.candidateLogIsUpToDate(lasti, t, lastIndex(), lastTerm());
    }

    /** Entries [lo, hi) limited to maxSize bytes; lo must be >= firstIndex(). */
    List<Entry> slice(long lo, long hi, long maxSize) {
        if (lo < firstIndex()) throw new LogCompactedException("slice from " + lo + " but first index " + firstIndex());
        if (hi > lastIndex() + 1) throw new IllegalArgumentException("slice [" + lo + "," + hi + ") beyond last " + lastIndex());
        if (lo >= hi) return List.of();
        ArrayList<Entry> out = new ArrayList<>();
        if (lo < offset) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, offset), maxSize);
            out.addAll(stored);
            // storage cut the batch for size: stop there
            if (stored.size() < Math.min(hi, offset) - lo) return out;
        }
        if (hi > offset) {
            long from = Math.max(lo, offset);
            out.addAll(unstable.subList((int) (from - offset), (int) (hi - offset)));
        }
        return limitSize(out, maxSize);
    }

    /** Entries from i to the end, limited by size; empty if i > lastIndex. */
    List<Entry> entriesFrom(long i, long maxSize) {
        if (i > lastIndex()) return List.of();
        return slice(i, lastIndex() + 1, maxSize);
    }

    static List<Entry> limitSize(List<Entry> ents, long maxSize) {
        if (ents.isEmpty()) return ents;
        long size = ents.get(0).size();
        int n = 1;
        for (; n < ents.size(); n++) {
            size += ents.get(n).size();
            if (size > maxSize) break;
        }
        return n == ents.size() ? ents : ents.subList(0, n);
    }

    /** Index of the first entry whose term conflicts with our log (or is new), 0 if all match. */
    long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.index(), e.term())) return e.index();
        }
        return 0;
    }

    /**
     * The largest index {@code <= index} whose term is {@code <= term} — a cheap guess at the last entry the
     * leader and this log may share (etcd-io/raft's findConflictByTerm). Returns {index, term}.
     */
    long[] findConflictByTerm(long index, long t) {
        for (; index > 0; index--) {
            long our = term(index);
            if (index < firstIndex() - 1) return new long[] {index, 0};
            if (our <= t) return new long[] {index, our};
        }
        return new long[] {0, 0};
    }

    long append(List<Entry> ents) {
        if (ents.isEmpty()) return lastIndex();
        long after = ents.get(0).index() - 1;
        if (after < committed) {
            throw new IllegalStateException("append after " + after + " is below committed " + committed);
        }
        truncateAndAppend(ents);
        return lastIndex();
    }

    private void truncateAndAppend(List<Entry> ents) {
        long from = ents.get(0).index();
        long end = offset + unstable.size();
        if (from == end) {
            unstable.addAll(ents);
        } else if (from <= offset) {
            // replace everything unstable; storage entries >= from are logically overridden
            offset = from;
            unstable = new ArrayList<>(ents);
        } else {
            ArrayList<Entry> keep = new ArrayList<>(unstable.subList(0, (int) (from - offset)));
            keep.addAll(ents);
            unstable = keep;
        }
    }

    /**
     * If our entry at {@code index} has term {@code logTerm}, appends {@code ents} (dropping a conflicting
     * suffix), advances commit and returns the index of the last new entry; otherwise returns -1.
     */
    long maybeAppend(long index, long logTerm, long commit, List<Entry> ents) {
        boolean prevInLog = index >= firstIndex() - 1 && index <= lastIndex();
        if (!rules.acceptsAppendAfter(prevInLog, prevInLog && term(index) == logTerm)) return -1;
        long lastNew = index + ents.size();
        long from = ents.isEmpty() ? 0 : rules.firstIndexToWrite(findConflict(ents), index + 1);
        if (from != 0) {
            if (from <= committed) {
                throw new IllegalStateException("entry " + from + " conflicts with committed entry (committed " + committed + ")");
            }
            append(ents.subList((int) (from - (index + 1)), ents.size()));
            // Under the standard rules the write starts past the commit index, so the log never ends before it.
            // Rules that rewrite matching entries can cut it shorter; the bookkeeping follows the log so that a
            // checker sees the broken Raft invariant rather than an exception here.
            if (committed > lastIndex()) committed = lastIndex();
        }
        commitTo(Math.min(commit, lastNew));
        return lastNew;
    }

    void commitTo(long c) {
        if (committed < c) {
            if (lastIndex() < c) {
                throw new IllegalStateException("commit " + c + " is out of range [last index " + lastIndex() + "]");
            }
            committed = c;
        }
    }

    boolean maybeCommit(long maxIndex, long t) {
        if (maxIndex > committed) {
            if (rules.mayCommitByCounting(term(maxIndex), t)) {
                commitTo(maxIndex);
                return true;
            }
        }
        return false;
    }

    void appliedTo(long i) {
        if (i == 0) return;
        // The bound is what may have been handed out: the commit index, or the apply limit when the rules let
        // it run further (the application may persist its entries after advance, so the log can be shorter).
        if (Math.max(committed, applyLimit()) < i || i < applied) {
            throw new IllegalStateException("applied(" + i + ") out of range [prev applied " + applied + ", committed " + committed + "]");
        }
        applied = i;
    }

    boolean hasNextCommitted() {
        return applyLimit() > Math.max(applied, firstIndex() - 1);
    }

    /** Last index that may be handed out for applying (the commit index, by the rules). */
    private long applyLimit() {
        return rules.applyLimit(committed, lastIndex());
    }

    List<Entry> nextCommitted() {
        long lo = Math.max(applied + 1, firstIndex());
        long hi = applyLimit() + 1;
        if (lo >= hi) return List.of();
        return slice(lo, hi, Long.MAX_VALUE);
    }

    boolean hasUnstable() {
        return !unstable.isEmpty();
    }

    void stableTo(long i, long t) {
        if (i < offset || unstable.isEmpty()) return;
        if (i - offset >= unstable.size()) return;
        if (unstable.get((int) (i - offset)).term() != t) return;
        unstable = new ArrayList<>(unstable.subList((int) (i + 1 - offset), unstable.size()));
        offset = i + 1;
    }

    void stableSnapTo(long i) {
        if (unstableSnapshot != null && unstableSnapshot.index() == i) unstableSnapshot = null;
    }

    void restore(Snapshot s) {
        committed = s.index();
        offset = s.index() + 1;
        unstable = new ArrayList<>();
        unstableSnapshot = s;
    }

    Snapshot snapshot() {
        if (unstableSnapshot != null) return unstableSnapshot;
        return storage.snapshot();
    }
}
