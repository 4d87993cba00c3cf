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
    /** Attached keys in byte order: a revoke deletes them in this order, as etcd does. */
    final TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);

    Lease(long id, long ttl) {
        this.id = id;
        this.ttl = ttl;
    }
}
