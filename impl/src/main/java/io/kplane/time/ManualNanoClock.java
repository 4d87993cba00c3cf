package io.kplane.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that moves only when told to: tests and simulations advance it instead of
 * sleeping, so a timer's behaviour is pinned without waiting for it. Safe to read from any thread
 * (the runtime under test) while one thread moves it.
 */
public final class ManualNanoClock implements NanoClock {
    private final AtomicLong nanos;

    public ManualNanoClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    /** Starts at 0. */
    public ManualNanoClock() {
        this(0);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the clock forward by {@code deltaNanos} (not negative: a monotonic clock never goes back). */
    public long advance(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("a monotonic clock cannot go back: " + deltaNanos + " ns");
        }
        return nanos.addAndGet(deltaNanos);
    }

    public long advance(Duration delta) {
        return advance(delta.toNanos());
    }
}
