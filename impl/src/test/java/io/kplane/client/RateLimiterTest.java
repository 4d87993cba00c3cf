package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final long MS = 1_000_000L;

    @Test
    void perItemDelayDoublesFromTheBaseAndIsCapped() {
        RateLimiter<String> r = new RateLimiter<>(5 * MS, 40 * MS, 1_000_000, 1_000_000);
        assertThat(r.when("a", 0)).isEqualTo(5 * MS);
        assertThat(r.when("a", 0)).isEqualTo(10 * MS);
        assertThat(r.when("a", 0)).isEqualTo(20 * MS);
        assertThat(r.when("a", 0)).isEqualTo(40 * MS);
        assertThat(r.when("a", 0)).as("capped").isEqualTo(40 * MS);
        assertThat(r.when("b", 0)).as("per item").isEqualTo(5 * MS);
        assertThat(r.numRequeues("a")).isEqualTo(5);
        r.forget("a");
        assertThat(r.numRequeues("a")).isZero();
        assertThat(r.when("a", 0)).as("forget resets").isEqualTo(5 * MS);
    }

    @Test
    void hugeFailureCountsDoNotOverflow() {
        RateLimiter<String> r = new RateLimiter<>(5 * MS, 1_000_000 * MS, 1e9, 1_000_000);
        long last = 0;
        for (int i = 0; i < 200; i++) {
            last = r.when("a", 0);
            assertThat(last).isPositive().isLessThanOrEqualTo(1_000_000 * MS);
        }
        assertThat(last).isEqualTo(1_000_000 * MS);
    }

    @Test
    void theTokenBucketLimitsRetriesOfDifferentItemsTogether() {
        // 10 qps, burst 2: the third and fourth immediate retries wait 100 ms and 200 ms.
        RateLimiter<String> r = new RateLimiter<>(1, 1, 10, 2);
        assertThat(r.when("a", 0)).isEqualTo(1);
        assertThat(r.when("b", 0)).isEqualTo(1);
        assertThat(r.when("c", 0)).isEqualTo(100 * MS);
        assertThat(r.when("d", 0)).isEqualTo(200 * MS);
        // a second later the bucket holds its burst again (never more)
        long t = 10_000 * MS;
        assertThat(r.when("e", t)).isEqualTo(1);
        assertThat(r.when("f", t)).isEqualTo(1);
        assertThat(r.when("g", t)).isEqualTo(100 * MS);
    }

    @Test
    void clientGoDefaults() {
        RateLimiter<String> r = RateLimiter.defaults();
        assertThat(r.when("a", 0)).isEqualTo(5 * MS);
        for (int i = 0; i < 99; i++) {
            r.when("x" + i, 0);
        }
        assertThat(r.when("late", 0)).as("101st token in the same instant at 10 qps").isEqualTo(100 * MS);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RateLimiter<>(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter<>(2, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
