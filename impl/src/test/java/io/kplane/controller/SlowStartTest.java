package io.kplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowStartTest {
    @Test
    void batchesDoubleAndAllCallsAreMadeWhenNoneFails() {
        List<Integer> calls = new ArrayList<>();
        assertThat(SlowStart.run(10, 1, i -> calls.add(i))).isEqualTo(10);
        assertThat(calls).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void stopsAfterTheFirstBatchWithAFailure() {
        List<Integer> calls = new ArrayList<>();
        // batches 1 (call 0), 2 (calls 1-2), 4 (calls 3-6): call 4 fails, so 7.. are never made
        int ok = SlowStart.run(100, 1, i -> {
            calls.add(i);
            return i != 4;
        });
        assertThat(calls).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(ok).isEqualTo(6);
    }

    @Test
    void aFailingFirstCallMakesOnlyOneCall() {
        List<Integer> calls = new ArrayList<>();
        assertThat(SlowStart.run(500, 1, i -> calls.add(i) && false)).isZero();
        assertThat(calls).hasSize(1);
        assertThat(SlowStart.run(0, 1, i -> true)).isZero();
    }
}
