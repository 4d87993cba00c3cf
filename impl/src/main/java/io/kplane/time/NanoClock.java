package io.kplane.time;

/**
 * Monotonic time in nanoseconds, the one clock type every runtime shell is given (DESIGN §2: time is
 * an input). Like {@link System#nanoTime()} its values mean nothing alone: only differences between
 * two readings of the same clock are durations. Wall-clock time written into API objects
 * (timestamps) is a different thing and stays a {@link java.time.Clock}/{@link java.time.InstantSource}.
 *
 * <p>Production code passes {@link #system()}; tests and simulations pass a {@link ManualNanoClock}
 * and move it instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock {
    /** Nanoseconds since an arbitrary origin fixed for this clock; never goes backwards. */
    long nanoTime();

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static NanoClock system() {
        return SystemNanoClock.INSTANCE;
    }
}
