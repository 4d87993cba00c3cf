package io.kplane.controller;

import static io.kplane.controller.Fixtures.T0;
import static io.kplane.controller.Fixtures.pod;
import static io.kplane.controller.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisruptionBudgetStatusTest {

    static final Map<String, Object> SELECTOR = Map.of("matchLabels", Map.of("app", "web"));
    final ReplicaSet web = rs("web-1", 4, "rs-uid");
    final List<Pod> pods = List.of(pod("a", "a", web, true, "n1"), pod("b", "b", web, true, "n1"),
            pod("c", "c", web, true, "n2"), pod("d", "d", web, false, "n2"));

    @Test
    void integerMinAvailableCountsSelectedPodsAndReadyOnesAreHealthy() {
        var s = DisruptionBudgetStatus.compute(Map.of("selector", SELECTOR, "minAvailable", 2), Map.of(), pods, r -> null, T0);
        assertThat(s.expectedPods()).isEqualTo(4);
        assertThat(s.desiredHealthy()).isEqualTo(2);
        assertThat(s.currentHealthy()).isEqualTo(3);
        assertThat(s.disruptionsAllowed()).isEqualTo(1);
        assertThat(s.problem()).isNull();
    }

    @Test
    void maxUnavailableAndPercentagesUseTheControllersScaleRoundedUp() {
        var max = DisruptionBudgetStatus.compute(Map.of("selector", SELECTOR, "maxUnavailable", "25%"), Map.of(), pods,
                r -> r.name().equals("web-1") ? 5 : null, T0);
        assertThat(max.expectedPods()).isEqualTo(5);
        assertThat(max.desiredHealthy()).isEqualTo(3);   // 5 - ceil(1.25)
        assertThat(max.disruptionsAllowed()).isZero();   // 3 healthy
        var min = DisruptionBudgetStatus.compute(Map.of("selector", SELECTOR, "minAvailable", "50%"), Map.of(), pods,
                r -> 5, T0);
        assertThat(min.desiredHealthy()).isEqualTo(3);   // ceil(2.5)
    }

    @Test
    void aPodWithoutKnownControllerFailsSafe() {
        List<Pod> orphans = List.of(pod("x", "x", null, true, "n1"));
        var s = DisruptionBudgetStatus.compute(Map.of("selector", SELECTOR, "maxUnavailable", 1), Map.of(), orphans, r -> 1, T0);
        assertThat(s.problem()).isNotNull();
        assertThat(s.disruptionsAllowed()).isZero();
    }

    @Test
    void disruptedPodsAreNotHealthyUntilGoneOrTimedOut() {
        Map<String, Object> spec = Map.of("selector", SELECTOR, "minAvailable", 1);
        var fresh = DisruptionBudgetStatus.compute(spec, Map.of("a", T0.toString(), "gone", T0.toString()), pods, r -> null,
                T0.plusSeconds(10));
        assertThat(fresh.currentHealthy()).isEqualTo(2);
        assertThat(fresh.disruptedPods()).containsOnlyKeys("a");
        var stale = DisruptionBudgetStatus.compute(spec, Map.of("a", T0.toString()), pods, r -> null, T0.plusSeconds(121));
        assertThat(stale.disruptedPods()).isEmpty();
        assertThat(stale.currentHealthy()).isEqualTo(3);
    }

    @Test
    void aNilSelectorSelectsNothing() {
        var s = DisruptionBudgetStatus.compute(Map.of("minAvailable", 1), Map.of(), pods, r -> null, T0);
        assertThat(s.expectedPods()).isZero();
        assertThat(s.currentHealthy()).isZero();
    }
}
