package io.kplane.client;

import java.util.HashMap;
import java.util.Map;

/**
 * How long a failed work item waits before it is retried: client-go's default controller rate
 * limiter, the maximum of
 * <ul>
 *   <li>a per-item exponential backoff, {@code baseDelay × 2^failures} capped at {@code maxDelay}
 *       (defaults 5 ms and 1000 s), reset by {@link #forget};</li>
 *   <li>an overall token bucket ({@code qps} tokens per second, at most {@code burst}; defaults
 *       10 and 100), so a storm of failures cannot retry faster than qps in total.</li>
 * </ul>
 * Pure: time is passed in (nanoseconds of any monotonic clock). Not thread-safe; {@link WorkQueue}
 * calls it under its lock.
 */
public final class RateLimiter<K> {
    private final long baseDelayNanos;
    private final long maxDelayNanos;
    private final double qps;
    private final int burst;
    private final Map<K, Integer> failures = new HashMap<>();
    private double tokens;
    private long lastNanos;
    private boolean started;

    public RateLimiter(long baseDelayNanos, long maxDelayNanos, double qps, int burst) {
        if (baseDelayNanos <= 0 || maxDelayNanos < baseDelayNanos || qps <= 0 || burst <= 0) {
            throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay, qps > 0, burst > 0");
        }
        this.baseDelayNanos = baseDelayNanos;
        this.maxDelayNanos = maxDelayNanos;
        this.qps = qps;
        this.burst = burst;
        this.tokens = burst;
    }

    /** client-go's DefaultControllerRateLimiter: 5 ms … 1000 s per item, 10 qps / burst 100 overall. */
    public static <K> RateLimiter<K> defaults() {
        return new RateLimiter<>(5_000_000L, 1_000_000_000_000L, 10, 100);
    }

    /** The delay (ns) before {@code item} may be retried at time {@code now}; counts a failure. */
    public long when(K item, long now) {
        int n = failures.getOrDefault(item, 0);
        failures.put(item, n + 1);
        long exp = n >= 62 || baseDelayNanos > (maxDelayNanos >> Math.min(n, 62))
                ? maxDelayNanos : Math.min(maxDelayNanos, baseDelayNanos << n);
        return Math.max(exp, reserveToken(now));
    }

    /** Clears the item's failure count (it succeeded, or it is given up on). */
    public void forget(K item) {
        failures.remove(item);
    }

    public int numRequeues(K item) {
        return failures.getOrDefault(item, 0);
    }

    /** Takes one token; returns how long until it is actually available (0 if now). */
    private long reserveToken(long now) {
        if (!started) {
            started = true;
            lastNanos = now;
        }
        if (now > lastNanos) {
            tokens = Math.min(burst, tokens + (now - lastNanos) * qps / 1e9);
            lastNanos = now;
        }
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / qps * 1e9);
    }
}
