package io.kplane.election;

/**
 * client-go's three durations, in the unit of the time passed to {@link LeaseElector}.
 *
 * <ul>
 *   <li>{@code leaseDuration}: how long a non-leader waits, from the local time it last saw the
 *       record change, before it may take the lease over (client-go default 15 s);</li>
 *   <li>{@code renewDeadline}: how long a leader keeps retrying a renewal before it gives up
 *       leadership (default 10 s);</li>
 *   <li>{@code retryPeriod}: the interval between tries (default 2 s).</li>
 * </ul>
 * Validated as client-go validates them: leaseDuration &gt; renewDeadline &gt; 1.2 &times; retryPeriod.
 */
public record ElectionTiming(long leaseDuration, long renewDeadline, long retryPeriod) {

    /** client-go's jitter factor; renewDeadline must exceed retryPeriod times this. */
    public static final double JITTER_FACTOR = 1.2;

    public ElectionTiming {
        if (leaseDuration <= 0 || renewDeadline <= 0 || retryPeriod <= 0) {
            throw new IllegalArgumentException("leaseDuration, renewDeadline and retryPeriod must be positive");
        }
        if (leaseDuration <= renewDeadline) {
            throw new IllegalArgumentException("leaseDuration (" + leaseDuration
                    + ") must be greater than renewDeadline (" + renewDeadline + ")");
        }
        if (renewDeadline <= JITTER_FACTOR * retryPeriod) {
            throw new IllegalArgumentException("renewDeadline (" + renewDeadline
                    + ") must be greater than retryPeriod*" + JITTER_FACTOR + " (" + retryPeriod + ")");
        }
    }

    /** client-go's defaults (15 s, 10 s, 2 s) in nanoseconds. */
    public static ElectionTiming defaultsNanos() {
        return new ElectionTiming(15_000_000_000L, 10_000_000_000L, 2_000_000_000L);
    }
}
