package io.kplane.kubelet;

import java.util.concurrent.TimeUnit;

/**
 * The kubelet's container restart back-off ("CrashLoopBackOff"): the first restart is immediate,
 * then each one waits twice as long as the one before, from 10 s up to 5 minutes; a container that
 * ran for 10 minutes (twice the cap) before it died starts over at the beginning. Pure: times are
 * passed in, in nanoseconds.
 */
final class RestartBackoff {
    static final long INITIAL_NS = TimeUnit.SECONDS.toNanos(10);
    static final long MAX_NS = TimeUnit.MINUTES.toNanos(5);

    private final long initialNs;
    private final long maxNs;
    private long nextDelayNs;

    RestartBackoff() {
        this(INITIAL_NS, MAX_NS);
    }

    RestartBackoff(long initialNs, long maxNs) {
        this.initialNs = initialNs;
        this.maxNs = maxNs;
    }

    /**
     * A container that started at {@code startedNs} died at {@code diedNs}: the time from which it
     * may be started again.
     */
    long restartAt(long startedNs, long diedNs) {
        if (diedNs - startedNs >= 2 * maxNs) {
            nextDelayNs = 0;
        }
        long delay = nextDelayNs;
        nextDelayNs = nextDelayNs == 0 ? initialNs : Math.min(maxNs, nextDelayNs * 2);
        return diedNs + delay;
    }
}
