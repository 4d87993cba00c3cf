package io.kplane.kv;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * A granted lease as the replicated state knows it: id, granted TTL and the keys attached to it.
 * Deliberately no expiry time: when a lease expires is decided by the leader's clock, outside the
 * deterministic state machine, and enters the log as a revoke ({@code io.kplane.etcd.LeaseExpiry}).
 */
final class Lease {
    final long id;
    final long ttl;
    /**
     * The store's lease stamp when this lease was last granted or kept alive: an expiry decided on
     * an older stamp lost a race with a keep-alive and is void ({@link MvccStore#leaseExpire}).
     */
    long stamp;
    /** Attached keys in byte order: a revoke deletes them in this order, as etcd does. */
    final TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);

    Lease(long id, long ttl, long stamp) {
        this.id = id;
        this.ttl = ttl;
        this.stamp = stamp;
    }
}
