package io.kplane.bench;

/** How the load rig paces requests. */
public enum LoadMode {
    /**
     * Requests are scheduled at a fixed rate whatever the system does, and latency is measured
     * from each request's <em>intended</em> send time, so a stalled system is charged for every
     * request it delayed (no coordinated omission).
     */
    OPEN,
    /**
     * A fixed number of requests are kept in flight; a new one starts when one ends. Finds peak
     * throughput; its latencies are service times, not what a user at a given rate would see.
     */
    CLOSED
}
