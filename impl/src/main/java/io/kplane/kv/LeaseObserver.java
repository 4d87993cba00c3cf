package io.kplane.kv;

/**
 * Told by the state machine, on its owner thread, when a lease is granted or kept alive (both
 * restart its TTL) and when it is gone. The lease expiry runtime ({@code io.kplane.etcd.LeaseExpiry}) tracks
 * deadlines with it; nothing here may affect replicated state.
 */
public interface LeaseObserver {
    /**
     * @param stamp the lease's refresh stamp now: an expiry decided on it is void if the lease is
     *              refreshed again before the expiry is applied ({@link MvccStore#leaseExpire})
     */
    void refreshed(long leaseId, long ttlSeconds, long stamp);

    void removed(long leaseId);

    LeaseObserver NONE = new LeaseObserver() {
        @Override
        public void refreshed(long leaseId, long ttlSeconds, long stamp) {
        }

        @Override
        public void removed(long leaseId) {
        }
    };
}
