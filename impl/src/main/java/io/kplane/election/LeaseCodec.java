package io.kplane.election;

import io.kplane.model.Lease;
import io.kplane.model.LeaseSpec;
import java.time.Instant;

/**
 * Converts between the Lease object of the API server and the elector's {@link LeaseRecord}.
 *
 * <p>The elector works in one process's monotonic nanoseconds; the Lease stores wall-clock
 * MicroTimes and whole seconds. The codec fixes one offset between the two clocks when it is made,
 * so a time converts to the same value both ways (to the microsecond, which is what the Lease
 * keeps) and the elector's equality test on records notices every change. Times read from other
 * holders come out as numbers in this process's clock; the elector never does arithmetic on them
 * (it only compares records), which is what makes expiry independent of the other holders'
 * clocks.
 */
final class LeaseCodec {
    private final long monoBase;
    private final long wallBaseMicros;

    LeaseCodec(long monoNow, Instant wallNow) {
        this.monoBase = monoNow;
        this.wallBaseMicros = micros(wallNow);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    Instant toWall(long mono) {
        long us = wallBaseMicros + Math.floorDiv(mono - monoBase, 1_000L);
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
    }

    long toMono(Instant wall) {
        return wall == null ? 0 : monoBase + (micros(wall) - wallBaseMicros) * 1_000L;
    }

    /** The record of a Lease; an unset duration counts as {@code defaultDuration}. */
    LeaseRecord record(Lease lease, long defaultDuration) {
        LeaseSpec s = lease.spec();
        if (s == null) {
            return new LeaseRecord("", defaultDuration, 0, 0, 0);
        }
        return new LeaseRecord(s.holderIdentity() == null ? "" : s.holderIdentity(),
                s.leaseDurationSeconds() == null ? defaultDuration : s.leaseDurationSeconds() * 1_000_000_000L,
                toMono(s.acquireTime()), toMono(s.renewTime()),
                s.leaseTransitions() == null ? 0 : s.leaseTransitions());
    }

    /** The spec for a record, keeping the fields the record does not know from {@code old}. */
    LeaseSpec spec(LeaseRecord r, LeaseSpec old) {
        int seconds = (int) Math.max(1, -Math.floorDiv(-r.leaseDuration(), 1_000_000_000L));
        LeaseSpec base = old != null ? old : LeaseSpec.of(null, seconds, null, null, 0);
        return base.withHolderIdentity(r.holderIdentity())
                .withLeaseDurationSeconds(seconds)
                .withAcquireTime(toWall(r.acquireTime()))
                .withRenewTime(toWall(r.renewTime()))
                .withLeaseTransitions(r.leaseTransitions());
    }
}
