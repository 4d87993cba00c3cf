package io.kplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.reports.IntervalLog;
import io.kplane.reports.WorkloadResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadRigTest {

    @TempDir Path dir;
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    @Test
    void openLoopChargesAStallToEveryRequestScheduledDuringIt() throws Exception {
        // 1000/s for 2 s; one request stalls the (synchronous) server for 300 ms. A closed-loop
        // or coordinated-omission rig would see one slow request; the open-loop rig must see
        // ~300 requests whose latency counts from when they were due.
        long stallAt = 700;
        AsyncOperation op = AsyncOperation.ofSync(seq -> {
            if (seq == stallAt) {
                sleep(300);
            }
        });
        LoadSpec spec = LoadSpec.openLoop("stall", "sync", 1000).withWarmup(Duration.ofMillis(200))
                .withDuration(Duration.ofSeconds(2));
        WorkloadResult r = LoadRig.run("test", spec, op, dir.resolve("stall.hlog"), quiet);

        assertThat(r.count()).isBetween(1800L, 2100L);
        assertThat(r.errors()).isZero();
        assertThat(r.latency().p99Us()).as("p99 includes the queueing behind the stall").isGreaterThan(200_000);
        assertThat(r.latency().p90Us()).as("~15%% of requests were due during the stall").isGreaterThan(50_000);
        assertThat(r.latency().maxUs()).isBetween(280_000.0, 1_000_000.0);
    }

    @Test
    void closedLoopKeepsItsWindowFullAndLogsEveryMeasuredRequest() throws Exception {
        ScheduledExecutorService server = Executors.newSingleThreadScheduledExecutor();
        try {
            // Each request takes 10 ms; 8 in flight -> about 800 requests/s.
            AsyncOperation op = AsyncOperation.ofFuture(seq -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                server.schedule(() -> f.complete(null), 10, TimeUnit.MILLISECONDS);
                return f;
            });
            LoadSpec spec = LoadSpec.closedLoop("slow", "scheduled", 8).withWarmup(Duration.ofMillis(300))
                    .withDuration(Duration.ofSeconds(2)).withInterval(Duration.ofMillis(500));
            Path hlog = dir.resolve("slow.hlog");
            WorkloadResult r = LoadRig.run("test", spec, op, hlog, quiet);

            // A full window means Little's law holds with 8 in flight, however slow a loaded machine
            // makes the 10 ms timer: throughput x mean latency = 8. A rig that let its window drain
            // (or counted requests twice) would show less (or more).
            assertThat(r.throughput() * r.latency().meanUs() / 1e6).isBetween(6.5, 8.5);
            assertThat(r.throughput()).isLessThan(820.0);
            assertThat(r.latency().p50Us()).isGreaterThan(9_000.0);
            IntervalLog log = IntervalLog.read(hlog);
            assertThat(log.total().getTotalCount()).isEqualTo(r.count());
            assertThat(log.intervals()).hasSizeBetween(4, 5);
            assertThat(log.intervals().get(0).startSec()).isZero();
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void warmUpFailuresAreNotCountedButMeasuredOnesAre() throws Exception {
        // 500/s, 500 ms warm-up: requests 0-249 are due in the warm-up, 250-749 in the measurement.
        // Failures chosen by sequence number, not by the clock, so a loaded machine cannot move
        // them across the cut: 100 early in the warm-up, 50 in the middle of the measurement.
        AsyncOperation op = (seq, done) -> {
            if (seq < 100 || (seq >= 500 && seq < 550)) {
                done.failed(new IllegalStateException("not ready"));
            } else {
                done.succeeded();
            }
        };
        LoadSpec spec = LoadSpec.openLoop("flaky", "test", 500).withWarmup(Duration.ofMillis(500))
                .withDuration(Duration.ofSeconds(1));
        WorkloadResult r = LoadRig.run("test", spec, op, dir.resolve("flaky.hlog"), quiet);

        assertThat(r.errors()).as("only the failures of the measurement count").isEqualTo(50L);
        assertThat(r.note()).contains("failed requests").contains("not ready");
        assertThat(r.count() + r.errors()).isBetween(400L, 520L);
    }

    @Test
    void aServerThatNeverAnswersLeavesRequestsUnsentAndSaysSo() throws Exception {
        AsyncOperation op = (seq, done) -> { }; // never completes
        LoadSpec spec = LoadSpec.openLoop("hang", "test", 1000).withOutstanding(10).withWarmup(Duration.ZERO)
                .withDuration(Duration.ofMillis(500)).withDrain(Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        WorkloadResult r = LoadRig.run("test", spec, op, dir.resolve("hang.hlog"), quiet);

        assertThat(r.count()).isZero();
        assertThat(r.note()).contains("never sent").contains("still outstanding");
        assertThat((System.nanoTime() - t0) / 1e9).as("drains for at most 1 s").isLessThan(3);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
