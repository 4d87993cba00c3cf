package io.kplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
    @Test
    void creationsAreCountedDeletionsTrackedByUidAndOldExpectationsExpire() {
        Expectations e = new Expectations();
        assertThat(e.satisfied("k", 0)).isTrue();
        e.expect("k", 2, Set.of(), 0);
        assertThat(e.satisfied("k", 1)).isFalse();
        e.creationObserved("k");
        assertThat(e.satisfied("k", 1)).isFalse();
        e.creationObserved("k");
        assertThat(e.satisfied("k", 1)).isTrue();

        e.expect("k", 0, Set.of("u1", "u2"), 0);
        e.deletionObserved("k", "u1");
        e.deletionObserved("k", "u1");   // seen terminating, then deleted: counts once
        assertThat(e.satisfied("k", 1)).isFalse();
        assertThat(e.pendingDeletes("k")).isEqualTo(1);
        assertThat(e.satisfied("k", Expectations.TTL.toNanos() + 1)).as("expired").isTrue();
        e.deletionObserved("k", "u2");
        assertThat(e.satisfied("k", 1)).isTrue();
    }
}
