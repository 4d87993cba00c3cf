package io.kplane.controller;

import java.util.function.IntPredicate;

/**
 * client-go's slowStartBatch: perform {@code count} calls in batches of 1, 2, 4, … and stop after
 * the first batch in which any call failed, so that a controller whose creations all fail (quota,
 * admission, server down) makes one failing call, not hundreds.
 */
public final class SlowStart {
    private SlowStart() {
    }

    /** The initial batch size client-go uses. */
    public static final int INITIAL_BATCH = 1;

    /**
     * Runs {@code call.test(i)} for i = 0 … count-1 in growing batches (calls within a batch are
     * independent; this runs them in order). Returns how many calls succeeded; calls after the
     * failing batch are not made.
     */
    public static int run(int count, int initialBatch, IntPredicate call) {
        int done = 0;
        int ok = 0;
        for (int batch = Math.min(count, initialBatch); batch > 0; batch = Math.min(2 * batch, count - done)) {
            int failed = 0;
            for (int i = 0; i < batch; i++) {
                if (call.test(done + i)) {
                    ok++;
                } else {
                    failed++;
                }
            }
            done += batch;
            if (failed > 0) {
                break;
            }
        }
        return ok;
    }
}
