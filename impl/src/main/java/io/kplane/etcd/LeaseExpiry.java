package io.kplane.etcd;

import io.kplane.kv.KvCommand;
import io.kplane.kv.KvStateMachine;
import io.kplane.kv.LeaseObserver;
import io.kplane.server.Replica;
import io.kplane.time.NanoClock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Decides when leases expire: the one place where lease time meets a clock, kept outside the
 * deterministic state machine.
 *
 * <p>Every member tracks a deadline per lease from the grants and keep-alives it applies (so that
 * TimeToLive answers on any member), but only the leader acts: it proposes a {@code LEASE_EXPIRE}
 * command for each lease past its deadline, and the revoke happens when that entry is applied, on
 * every member alike. When a member becomes leader it extends every lease to a full TTL plus an
 * election timeout, as etcd's {@code Lessor.Promote} does, so a leader change never expires a lease
 * whose owner kept it alive with the old leader.
 */
final class LeaseExpiry implements LeaseObserver, AutoCloseable {
    private record Deadline(long ttlSeconds, long atNanos, long stamp) {
    }

    private final Replica replica;
    private final NanoClock nanoClock;
    private final long promoteExtensionNanos;
    private final Map<Long, Deadline> deadlines = new ConcurrentHashMap<>();
    private final Set<Long> expiring = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    LeaseExpiry(Replica replica, NanoClock nanoClock, long promoteExtensionMillis, long checkIntervalMillis) {
        this.replica = replica;
        this.nanoClock = nanoClock;
        this.promoteExtensionNanos = TimeUnit.MILLISECONDS.toNanos(promoteExtensionMillis);
        replica.query(sm -> {
            KvStateMachine kv = KvReplicatedStateMachine.kv(sm);
            kv.store().setLeaseObserver(this);
            kv.store().leaseStamps().forEach((id, ttlAndStamp) -> refreshed(id, ttlAndStamp[0], ttlAndStamp[1]));
            return null;
        }).join();
        replica.addLeadershipListener((leaderId, term, isLeader) -> {
            if (isLeader) {
                promote();
            }
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcd-lease-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::expire, checkIntervalMillis, checkIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void refreshed(long leaseId, long ttlSeconds, long stamp) {
        deadlines.put(leaseId, new Deadline(ttlSeconds, nanoClock.nanoTime() + TimeUnit.SECONDS.toNanos(ttlSeconds), stamp));
    }

    @Override
    public void removed(long leaseId) {
        deadlines.remove(leaseId);
        expiring.remove(leaseId);
    }

    /** Remaining whole seconds (etcd truncates), as this member sees it; -1 if it knows no such lease. */
    long remainingSeconds(long leaseId) {
        Deadline d = deadlines.get(leaseId);
        if (d == null) {
            return -1;
        }
        long left = d.atNanos() - nanoClock.nanoTime();
        return Math.max(0, TimeUnit.NANOSECONDS.toSeconds(left));
    }

    private void promote() {
        long now = nanoClock.nanoTime();
        deadlines.replaceAll((id, d) ->
                new Deadline(d.ttlSeconds(), now + promoteExtensionNanos + TimeUnit.SECONDS.toNanos(d.ttlSeconds()),
                        d.stamp()));
    }

    private void expire() {
        try {
            if (!replica.status().isLeader()) {
                return;
            }
            long now = nanoClock.nanoTime();
            deadlines.forEach((id, d) -> {
                if (d.atNanos() - now <= 0 && expiring.add(id)) {
                    // The stamp makes the decision void if a keep-alive is applied before it (MvccStore.leaseExpire).
                    byte[] cmd = KvCommand.leaseExpire(id, d.stamp());
                    replica.propose(cmd).whenComplete((r, e) -> expiring.remove(id)); // retried next round if it failed
                }
            });
        } catch (RuntimeException e) {
            System.err.println("lease expiry: " + e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
