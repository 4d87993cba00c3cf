package io.kplane.election;

/**
 * The leader-election record kept in a {@code coordination.k8s.io/v1} Lease (client-go's
 * {@code LeaderElectionRecord}).
 *
 * <p>Times are in the holder's LOCAL clock, in the unit the elector was configured with. Other
 * candidates never do arithmetic on them: they only notice that the record changed and measure
 * expiry on their own clock (see {@link LeaseElector}).
 *
 * @param holderIdentity  the current holder, or "" for none
 * @param leaseDuration   how long others must wait, after seeing the record change, before taking over
 * @param acquireTime     holder's local time when it acquired the lease
 * @param renewTime       holder's local time of its last renewal
 * @param leaseTransitions how many times the lease changed hands
 */
public record LeaseRecord(String holderIdentity, long leaseDuration, long acquireTime, long renewTime,
                          int leaseTransitions) {

    public LeaseRecord {
        if (holderIdentity == null) {
            throw new IllegalArgumentException("holderIdentity must not be null (use \"\" for none)");
        }
    }

    /** True if somebody holds the lease. */
    public boolean held() {
        return !holderIdentity.isEmpty();
    }
}
