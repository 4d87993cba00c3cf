package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Probe;
import io.kplane.model.TcpSocketAction;
import io.kplane.model.IntOrString;
import org.junit.jupiter.api.Test;

class ProbeTrackerTest {
    static final long S = 1_000_000_000L;

    static Probe probe(Integer initialDelay, Integer period, Integer success, Integer failure) {
        return new Probe(null, null, new TcpSocketAction(IntOrString.of(80), null, null), initialDelay, null, period,
                success, failure, null);
    }

    @Test
    void initialResultsAreTheKubeletsReadinessFailsLivenessPassesStartupFails() {
        assertThat(new ProbeTracker(ProbeTracker.Kind.READINESS, probe(null, null, null, null), 0).success()).isFalse();
        assertThat(new ProbeTracker(ProbeTracker.Kind.LIVENESS, probe(null, null, null, null), 0).success()).isTrue();
        assertThat(new ProbeTracker(ProbeTracker.Kind.STARTUP, probe(null, null, null, null), 0).success()).isFalse();
    }

    @Test
    void firstProbeWaitsForTheInitialDelayThenEveryPeriodWithDefaultsOfZeroAndTenSeconds() {
        ProbeTracker defaults = new ProbeTracker(ProbeTracker.Kind.READINESS, probe(null, null, null, null), 5 * S);
        assertThat(defaults.due(5 * S)).isTrue();
        defaults.record(true, 5 * S);
        assertThat(defaults.due(14 * S)).isFalse();
        assertThat(defaults.due(15 * S)).isTrue();

        ProbeTracker delayed = new ProbeTracker(ProbeTracker.Kind.READINESS, probe(3, 2, null, null), 0);
        assertThat(delayed.due(3 * S - 1)).isFalse();
        assertThat(delayed.due(3 * S)).isTrue();
        delayed.dispatched();
        assertThat(delayed.due(100 * S)).as("no second probe while one is in flight").isFalse();
        delayed.record(false, 3 * S);
        assertThat(delayed.due(5 * S)).isTrue();
    }

    @Test
    void resultChangesOnlyAfterThresholdConsecutiveOutcomes() {
        ProbeTracker live = new ProbeTracker(ProbeTracker.Kind.LIVENESS, probe(0, 1, 1, 3), 0);
        assertThat(live.record(false, 1)).isFalse();
        assertThat(live.record(false, 2)).isFalse();
        assertThat(live.record(true, 3)).as("a success breaks the run").isFalse();
        assertThat(live.record(false, 4)).isFalse();
        assertThat(live.record(false, 5)).isFalse();
        assertThat(live.record(false, 6)).isTrue();
        assertThat(live.success()).isFalse();

        ProbeTracker ready = new ProbeTracker(ProbeTracker.Kind.READINESS, probe(0, 1, 2, 1), 0);
        assertThat(ready.record(true, 1)).isFalse();
        assertThat(ready.record(true, 2)).isTrue();
        assertThat(ready.success()).isTrue();
        assertThat(ready.record(false, 3)).as("failureThreshold 1").isTrue();
        assertThat(ready.success()).isFalse();
    }

    @Test
    void restartBackoffIsImmediateThenDoublesFromTenSecondsToFiveMinutesAndResetsAfterTenMinutesUp() {
        RestartBackoff b = new RestartBackoff();
        long t = 0;
        assertThat(b.restartAt(t, t + S) - (t + S)).isZero();
        long[] expected = {10, 20, 40, 80, 160, 300, 300};
        for (long e : expected) {
            assertThat(b.restartAt(t, t + S) - (t + S)).isEqualTo(e * S);
        }
        assertThat(b.restartAt(0, 600 * S)).as("ran 10 minutes: starts over").isEqualTo(600 * S);
        assertThat(b.restartAt(600 * S, 601 * S)).isEqualTo(611 * S);
    }
}
