package io.kplane.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * client-go's controller expectations: after a controller asks for N creations (or the deletion
 * of certain pods), it does not act on that controller key again until its informer has seen
 * them — otherwise a sync that runs before the watch delivers the new pods would create them a
 * second time. Creations are counted; deletions are tracked by pod uid, so that a pod seen first
 * with a deletionTimestamp and later as DELETED counts once. Expectations older than
 * {@link #TTL} are considered satisfied (a watch event may have been lost to a relist).
 *
 * <p>Time is passed in; the object is thread-safe (informer handlers and workers share it).
 */
public final class Expectations {
    /** client-go's ExpectationsTimeout. */
    public static final Duration TTL = Duration.ofMinutes(5);

    private static final class Entry {
        int adds;
        final Set<String> deletes = new HashSet<>();
        long setAt;
    }

    private final Map<String, Entry> byKey = new HashMap<>();

    /** True if the key has nothing outstanding, never had expectations, or they expired. */
    public synchronized boolean satisfied(String key, long nowNanos) {
        Entry e = byKey.get(key);
        if (e == null) {
            return true;
        }
        return e.adds <= 0 && e.deletes.isEmpty() || nowNanos - e.setAt > TTL.toNanos();
    }

    /** Replaces the key's expectations with {@code adds} creations and deletions of these uids. */
    public synchronized void expect(String key, int adds, Set<String> deleteUids, long nowNanos) {
        Entry e = new Entry();
        e.adds = adds;
        e.deletes.addAll(deleteUids);
        e.setAt = nowNanos;
        byKey.put(key, e);
    }

    /** A pod the key created was seen (or a creation failed and will not be seen). */
    public synchronized void creationObserved(String key) {
        Entry e = byKey.get(key);
        if (e != null && e.adds > 0) {
            e.adds--;
        }
    }

    /** A pod the key deleted was seen deleted or terminating (or its deletion failed). */
    public synchronized void deletionObserved(String key, String uid) {
        Entry e = byKey.get(key);
        if (e != null) {
            e.deletes.remove(uid);
        }
    }

    /** Forgets the key (its controller object is gone). */
    public synchronized void delete(String key) {
        byKey.remove(key);
    }

    /** Outstanding creations, for tests and diagnostics. */
    public synchronized int pendingAdds(String key) {
        Entry e = byKey.get(key);
        return e == null ? 0 : Math.max(0, e.adds);
    }

    public synchronized int pendingDeletes(String key) {
        Entry e = byKey.get(key);
        return e == null ? 0 : e.deletes.size();
    }
}
