package io.kplane.proxy.runtime;

/**
 * When to sync, as kube-proxy's BoundedFrequencyRunner decides it, with time passed in: a change
 * asks for a sync, but syncs are at least {@code minSyncPeriod} apart (bursts of changes coalesce
 * into one sync); without changes a sync still runs every {@code syncPeriod}; a failed sync is
 * retried after {@code retryPeriod}; and every {@code fullSyncPeriod} the sync is a full one.
 * Deterministic: no clock, no threads.
 */
public final class SyncScheduler {
    private final long minSyncPeriodNanos;
    private final long syncPeriodNanos;
    private final long fullSyncPeriodNanos;
    private final long retryPeriodNanos;
    private boolean pending;
    private boolean needFull = true;
    private long lastSync = Long.MIN_VALUE / 2;
    private long lastFullSync = Long.MIN_VALUE / 2;
    private long retryAt = Long.MAX_VALUE;

    public SyncScheduler(long minSyncPeriodNanos, long syncPeriodNanos, long fullSyncPeriodNanos, long retryPeriodNanos) {
        this.minSyncPeriodNanos = minSyncPeriodNanos;
        this.syncPeriodNanos = syncPeriodNanos;
        this.fullSyncPeriodNanos = fullSyncPeriodNanos;
        this.retryPeriodNanos = retryPeriodNanos;
    }

    /** Something changed: a sync is wanted as soon as the minimum period allows. */
    public void requestSync() {
        pending = true;
    }

    /** Rules were lost or must be rewritten: the next sync is a full one. */
    public void requestFullSync() {
        needFull = true;
        pending = true;
    }

    /** The earliest time the next sync may run. */
    public long nextSyncAt() {
        long next = lastSync + syncPeriodNanos;
        if (pending) {
            next = Math.min(next, lastSync + minSyncPeriodNanos);
        }
        return Math.min(next, retryAt);
    }

    public boolean shouldSync(long now) {
        return now >= nextSyncAt();
    }

    /** Whether a sync starting at {@code now} must be full. */
    public boolean fullSyncDue(long now) {
        return needFull || now - lastFullSync >= fullSyncPeriodNanos;
    }

    /** Records a sync that started at {@code now}. */
    public void synced(long now, boolean full, boolean success) {
        lastSync = now;
        pending = false;
        if (success) {
            retryAt = Long.MAX_VALUE;
            if (full) {
                lastFullSync = now;
                needFull = false;
            }
        } else {
            // The changes are folded in already: only a full sync can restore a known state.
            needFull = true;
            retryAt = now + retryPeriodNanos;
        }
    }
}
