package io.kplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.bench.scheduler.SchedulerArea;
import io.kplane.reports.AreaResult;
import io.kplane.reports.IntervalLog;
import io.kplane.reports.WorkloadResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kplane bench scheduler --e2e} at a tiny scale (upstream sizes / 250: 20 nodes): the
 * pods go through the real API server and the scheduler runtime, every measured pod is counted
 * once, the per-second log holds them all, and the invariants are checked on the API's objects.
 */
class SchedulerEndToEndTest {

    @TempDir Path dir;

    @Test
    @Timeout(300)
    void basicAntiAffinityAndPreemptionRunThroughTheApiServerAndLandInTheReport() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AreaResult r = AreaRunner.run(new SchedulerArea(), dir, true,
                Map.of("e2e", "true", "scale", "250",
                        "workload", "SchedulingBasic,SchedulingPodAntiAffinity,PreemptionAsync"),
                new PrintStream(out, true));
        assertThat(r.status()).as(out.toString()).isEqualTo(AreaResult.Status.OK);
        assertThat(r.workloads()).extracting(WorkloadResult::workload)
                .containsExactly("SchedulingBasic-e2e", "SchedulingPodAntiAffinity-e2e", "PreemptionAsync-e2e");
        for (WorkloadResult w : r.workloads()) {
            assertThat(w.errors()).as(w.workload() + " invariant violations").isZero();
            assertThat(w.throughput()).isPositive();
            IntervalLog log = IntervalLog.read(dir.resolve(w.hlog()));
            assertThat(log.total().getTotalCount()).as(w.workload() + " pods in the interval log").isEqualTo(w.count());
            assertThat(log.intervals()).isNotEmpty();
        }
        assertThat(r.workloads().get(0).count()).isEqualTo(40);  // 10000 / 250
        // every high-priority pod bound, by preempting three low ones each (it took > 300 s when a
        // retried preemptor preempted again before its victims' deletions arrived)
        assertThat(r.workloads().get(2).count()).isEqualTo(20);  // 5000 / 250
        assertThat(r.headlines()).hasSize(3).allSatisfy(h -> assertThat(h.anchor()).isNull());
    }

    @Test
    @Timeout(300)
    void mixedChurnRecreatesNodesPodsAndServicesThroughTheApiServerWhileThePodsAreScheduled() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AreaResult r = AreaRunner.run(new SchedulerArea(), dir, true,
                Map.of("e2e", "true", "scale", "100", "workload", "SchedulingWithMixedChurn", "churnIntervalMs", "200"),
                new PrintStream(out, true));
        assertThat(r.status()).as(out.toString()).isEqualTo(AreaResult.Status.OK);
        assertThat(r.workloads()).extracting(WorkloadResult::workload).containsExactly("SchedulingWithMixedChurn-e2e");
        WorkloadResult w = r.workloads().get(0);
        assertThat(w.errors()).as("invariant violations and failed churn calls").isZero();
        assertThat(w.count()).isEqualTo(20);  // 2000 / 100
        assertThat(w.throughput()).isPositive();
        assertThat(((Number) w.parameters().get("churnOps")).intValue()).as("churn steps").isGreaterThanOrEqualTo(1);
        assertThat(w.parameters().get("threshold")).isEqualTo(710.0);
        assertThat(IntervalLog.read(dir.resolve(w.hlog())).total().getTotalCount()).isEqualTo(20);
        assertThat(out.toString()).contains("SchedulingWithMixedChurn e2e:").contains("churn ops");
        assertThat(r.headlines()).hasSize(1);
    }
}
