package io.kplane.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting, in tests against real servers, for something another thread or process will do: poll
 * with a deadline (generous, since the machine may be loaded) and say what was awaited — and what
 * was last seen — when it does not come.
 */
public final class Eventually {
    /** The default deadline: long enough for a loaded 2-core machine, short enough to fail a hang. */
    public static final Duration DEADLINE = Duration.ofSeconds(90);

    private Eventually() {
    }

    /** Waits until {@code cond} holds. */
    public static void until(String what, BooleanSupplier cond) throws InterruptedException {
        until(what, DEADLINE, cond);
    }

    public static void until(String what, Duration deadline, BooleanSupplier cond) throws InterruptedException {
        await(what, deadline, () -> cond.getAsBoolean() ? Boolean.TRUE : null, b -> true);
    }

    /** Reads until {@code done} accepts a non-null value, and returns it. */
    public static <T> T await(String what, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        return await(what, DEADLINE, read, done);
    }

    public static <T> T await(String what, Duration deadline, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        T last = null;
        while (System.nanoTime() - end < 0) {
            last = read.get();
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what
                + (last == null ? "" : "; last seen: " + last));
    }
}
