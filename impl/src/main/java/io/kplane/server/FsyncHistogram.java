package io.kplane.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations of the WAL's fsyncs in etcd's buckets for {@code etcd_disk_wal_fsync_duration_seconds}
 * (0.001 s doubling up to 8.192 s). Written by the Raft agent, read by the metrics endpoint from
 * any thread; each bucket is exact, the set of them is not one atomic snapshot (as Prometheus
 * clients do it too).
 */
public final class FsyncHistogram {
    /** Upper bounds in seconds: etcd's {@code prometheus.ExponentialBuckets(0.001, 2, 14)}. */
    public static final double[] BOUNDS = new double[14];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS[i] = 0.001 * (1L << i);
        }
    }

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
    private volatile long sumNanos;

    /** Agent thread only. */
    void record(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        buckets.incrementAndGet(i);
        sumNanos += nanos; // single writer
    }

    /** Observations per bucket (the last one above every bound), not cumulative. */
    public long[] counts() {
        long[] out = new long[buckets.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = buckets.get(i);
        }
        return out;
    }

    public double sumSeconds() {
        return sumNanos / 1e9;
    }
}
