package io.kplane.scheduler;

/** Time as an input: the core never reads a clock of its own. */
@FunctionalInterface
public interface Clock {
    /** Monotonic time in nanoseconds. */
    long nanos();

    /** A clock that always returns the value held by a one-element array (for tests). */
    static Clock fixed(long[] holder) {
        return () -> holder[0];
    }

    /** The JVM's monotonic clock, for runtimes and benchmarks. */
    static Clock system() {
        return System::nanoTime;
    }
}
