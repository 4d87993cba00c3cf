package io.kplane.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A tiny bounded run of each workload shape (50 nodes) with the invariant checks. */
class SchedulerBenchmarkTest {

    @Test
    void everyWorkloadShapeSchedulesAllMeasuredPodsWithoutViolations() throws Exception {
        for (Workload w : Workload.all(100)) {
            SchedulerBenchmark.Result r = SchedulerBenchmark.run(w, 1, m -> {});
            assertThat(r.violations()).as(w.name()).isEmpty();
            assertThat(r.measuredPods()).as(w.name()).isPositive();
            assertThat(r.attempts()).as(w.name()).isGreaterThanOrEqualTo(r.measuredPods());
            assertThat(r.attemptLatencyNanos().getTotalCount()).isEqualTo(r.attempts());
        }
    }
}
