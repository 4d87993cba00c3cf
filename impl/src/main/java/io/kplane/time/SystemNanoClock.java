package io.kplane.time;

/** {@link System#nanoTime()} as a {@link NanoClock}; one instance, so call sites stay monomorphic. */
enum SystemNanoClock implements NanoClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
