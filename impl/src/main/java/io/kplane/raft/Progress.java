package io.kplane.raft;

/**
 * The leader's view of one member: what it has ({@code match}), what to send next ({@code next}), and how to
 * send ({@link ProgressState}). Mirrors etcd-io/raft's tracker.Progress.
 */
public final class Progress {
    long match;
    long next;
    ProgressState state = ProgressState.PROBE;
    /** Index of the snapshot in flight while in SNAPSHOT state. */
    long pendingSnapshot;
    /** Heard from since the last CheckQuorum; also gates sending snapshots. */
    boolean recentActive;
    /** In PROBE state: one append is in flight, wait for its answer (or a heartbeat response). */
    boolean probeSent;
    boolean isLearner;
    Inflights inflights;

    Progress(long match, long next, Inflights inflights, boolean isLearner) {
        this.match = match;
        this.next = next;
        this.inflights = inflights;
        this.isLearner = isLearner;
    }

    Progress copy() {
        Progress c = new Progress(match, next, inflights.copy(), isLearner);
        c.state = state;
        c.pendingSnapshot = pendingSnapshot;
        c.recentActive = recentActive;
        c.probeSent = probeSent;
        return c;
    }

    public long match() { return match; }
    public long next() { return next; }
    public ProgressState state() { return state; }
    public long pendingSnapshot() { return pendingSnapshot; }
    public boolean recentActive() { return recentActive; }
    public boolean isLearner() { return isLearner; }
    public int inflightCount() { return inflights.count(); }

    private void resetState(ProgressState s) {
        probeSent = false;
        pendingSnapshot = 0;
        state = s;
        inflights.reset();
    }

    void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            long pending = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, pending + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /** Follower acknowledged index n; returns whether match moved. */
    boolean maybeUpdate(long n) {
        boolean updated = false;
        if (match < n) {
            match = n;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, n + 1);
        return updated;
    }

    /**
     * The follower rejected an append at {@code rejected}, hinting it may match at {@code matchHint}. Returns
     * false when the rejection is stale.
     */
    boolean maybeDecrTo(long rejected, long matchHint) {
        if (rejected >= match && matchHint < match) {
            // The follower rejects an index it had acknowledged and says its log ends below it: it
            // lost its log (a member re-joining with a fresh one, --rejoin-as-learner). A follower
            // with its log never does this — it persisted everything up to match before saying so —
            // so "match never decreases" would only keep the leader probing at match + 1 forever.
            // Start over from what it has (commit is unaffected: it never decreases).
            match = matchHint;
            next = matchHint + 1;
            probeSent = false;
            return true;
        }
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) return false;
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) return false;
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    /** Bookkeeping after sending {@code entries} entries of {@code bytes} bytes. */
    void sentEntries(int entries, long bytes) {
        switch (state) {
            case REPLICATE -> {
                if (entries > 0) {
                    next += entries;
                    inflights.add(next - 1, bytes);
                }
            }
            case PROBE -> {
                if (entries > 0) probeSent = true;
            }
            default -> { }
        }
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    long fingerprint() {
        long h = match * 1_000_003L + next;
        h = h * 31 + state.ordinal();
        h = h * 31 + pendingSnapshot;
        h = h * 31 + (recentActive ? 1 : 0) + (probeSent ? 2 : 0) + (isLearner ? 4 : 0);
        return h * 31 + inflights.fingerprint();
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + (isLearner ? " learner" : "")
                + (state == ProgressState.SNAPSHOT ? " pendingSnap=" + pendingSnapshot : "")
                + (probeSent ? " paused" : "") + (inflights.count() > 0 ? " inflight=" + inflights.count() : "");
    }
}
