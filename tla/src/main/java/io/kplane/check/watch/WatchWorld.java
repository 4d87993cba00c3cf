package io.kplane.check.watch;

import java.util.List;

/**
 * One state of the watch world: the store's current and compaction revisions and each watcher.
 * The real {@code MvccStore} and fan-out {@code EventLog} are rebuilt from these numbers for every
 * step (puts and compaction commute for everything a watcher can observe), so states stay small.
 *
 * @param revision   the store's current revision (1 = empty store; each put adds one)
 * @param compactRev the store's compaction revision (-1 = never compacted)
 */
public record WatchWorld(long revision, long compactRev, List<Watcher> watchers) {

    /** Where a watcher is. */
    public enum Status { IDLE, ACTIVE, CATCHING_UP, DISCONNECTED, COMPACTED }

    /**
     * One watcher (one stream with one watch on key "k").
     *
     * @param startRev    the revision it first asked for
     * @param nextRev     the revision it expects next
     * @param cursor      its stream's position in the fan-out log
     * @param lastSeenRev highest revision its stream saw in the log
     * @param delivered   every revision delivered to the client, in order, across resumes
     */
    public record Watcher(Status status, long startRev, long nextRev, long cursor, long lastSeenRev,
                          List<Long> delivered) {
        static final Watcher IDLE = new Watcher(Status.IDLE, 0, 0, 0, 0, List.of());
    }
}
