package io.kplane.kv;

/**
 * Told by the state machine, on its owner thread, when a lease is granted or kept alive (both
 * restart its TTL) and when it is gone. The lease expiry runtime ({@code io.kplane.etcd.LeaseExpiry}) tracks
 * deadlines with it; nothing here may affect replicated state.
 */
public interface LeaseObserver {
    void refreshed(long leaseId, long ttlSeconds);

    void removed(long leaseId);

    LeaseObserver NONE = new LeaseObserver() {
        @Override
        public void refreshed(long leaseId, long ttlSeconds) {
        }

        @Override
        public void removed(long leaseId) {
        }
    };
}
