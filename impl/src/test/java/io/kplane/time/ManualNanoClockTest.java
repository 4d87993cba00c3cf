package io.kplane.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualNanoClockTest {
    @Test
    void movesOnlyWhenAdvanced() {
        ManualNanoClock clock = new ManualNanoClock(1_000);
        assertThat(clock.nanoTime()).isEqualTo(1_000);
        assertThat(clock.nanoTime()).isEqualTo(1_000);
        assertThat(clock.advance(Duration.ofMillis(2))).isEqualTo(2_001_000);
        assertThat(clock.nanoTime()).isEqualTo(2_001_000);
    }

    @Test
    void refusesToGoBack() {
        ManualNanoClock clock = new ManualNanoClock();
        assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot go back");
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void systemClockIsMonotonic() {
        NanoClock clock = NanoClock.system();
        long a = clock.nanoTime();
        long b = clock.nanoTime();
        assertThat(b).isGreaterThanOrEqualTo(a);
    }
}
