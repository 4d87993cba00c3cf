package io.kplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.reports.AreaResult;
import io.kplane.reports.Headline;
import io.kplane.reports.RunFiles;
import io.kplane.reports.RunSummary;
import io.kplane.reports.SummaryTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AreaRunnerTest {

    @TempDir Path dir;
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    private static BenchArea area(String name, RunBody body) {
        return new BenchArea() {
            @Override public String name() { return name; }
            @Override public String title() { return name + " title"; }
            @Override public void run(RunContext ctx) throws Exception { body.run(ctx); }
        };
    }

    interface RunBody {
        void run(RunContext ctx) throws Exception;
    }

    @Test
    void anAreaThatThrowsIsFailedWithItsMessageAndKeepsWhatItRecorded() {
        AreaResult r = AreaRunner.run(area("boom", ctx -> {
            ctx.headline(ctx.measured("before", 1, "ops/s", true));
            throw new IllegalStateException("disk full");
        }), dir, true, Map.of(), quiet);
        assertThat(r.status()).isEqualTo(AreaResult.Status.FAILED);
        assertThat(r.message()).contains("disk full");
        assertThat(r.headlines()).hasSize(1);
    }

    @Test
    void aSkippedAreaSaysWhyAndHowToFixIt() {
        AreaResult r = AreaRunner.run(area("store", ctx -> ctx.skip(RunContext.ETCD_INSTALL_HINT)), dir, true, Map.of(), quiet);
        assertThat(r.status()).isEqualTo(AreaResult.Status.SKIPPED);
        assertThat(r.message()).contains("apt-get install -y etcd-server etcd-client");
    }

    @Test
    void parametersAndQuickReachTheArea() {
        AreaResult r = AreaRunner.run(area("p", ctx -> {
            ctx.headline(ctx.measured("rate", ctx.param("rate", 5.0), "ops/s", true));
            ctx.headline(ctx.measured("secs", ctx.param("d", java.time.Duration.ZERO).toSeconds(), "s", false));
            ctx.headline(ctx.measured("quick", ctx.quickOr(1, 2), "", true));
            ctx.headline(ctx.measured("ms", ctx.param("m", java.time.Duration.ZERO).toMillis(), "ms", false));
            ctx.headline(ctx.measured("min", ctx.param("n", java.time.Duration.ZERO).toSeconds(), "s", false));
        }), dir, true, Map.of("rate", "2_000", "d", "30s", "m", "250ms", "n", "2m"), quiet);
        assertThat(r.headlines()).extracting(Headline::value).containsExactly(2000.0, 30.0, 1.0, 250.0, 120.0);
    }

    @Test
    void summaryRoundTripsThroughJsonAndTheFrontPageShowsPublishedFiguresWithoutAVerdict() {
        Headline h = Headline.of("store", "put throughput", 1700, "ops/s", true)
                .against(io.kplane.reports.Anchors.ETCD_WRITES_1000_CLIENTS).withNoise(0.04);
        AreaResult ok = new AreaResult("store", "store", AreaResult.Status.OK, null, List.of(h), List.of(), List.of(),
                List.of(), 12);
        AreaResult skipped = AreaResult.skipped("check", "model checks", "not built yet");
        RunSummary s = new RunSummary(RunSummary.SCHEMA, "suite", "kplane suite", "2026-11-26T00:00:00Z", 20, true,
                List.of(skipped, ok));
        RunFiles.writeSummary(dir, s);
        RunSummary back = RunFiles.readSummary(dir);
        assertThat(back).isEqualTo(s);
        String table = SummaryTable.text(back);
        assertThat(table).contains("check", "SKIPPED", "not built yet")
                .contains("1,700 ops/s", "etcd writes, 1000 clients: 44,341 ops/s")
                .doesNotContain("0.04x", "worse", "better");
    }

    @Test
    void aHangingAreaIsAbandonedAfterItsTimeoutAndKeepsItsRecordedResults() throws Exception {
        long t0 = System.nanoTime();
        AreaResult r = AreaRunner.run(area("hang", ctx -> {
            ctx.headline(ctx.measured("before the hang", 1, "ops/s", true));
            Thread.sleep(60_000);
        }), dir, true, Map.of(), quiet, java.time.Duration.ofMillis(300));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
        assertThat(r.status()).isEqualTo(AreaResult.Status.FAILED);
        assertThat(r.headlines()).hasSize(1); // interrupted: the area's own runner reported what it had
    }

    @Test
    void selfMeasuredLatenciesBecomeAWorkloadWithAnIntervalLog() throws Exception {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        for (int i = 1; i <= 100; i++) {
            h.recordValue(i * 1_000_000L); // 1..100 ms
        }
        AreaResult r = AreaRunner.run(area("sched", ctx -> ctx.addHistogram("pods", "kplane", h, 2.0,
                Map.of("nodes", 100), "n/a")), dir, true, Map.of(), quiet);
        io.kplane.reports.WorkloadResult w = r.workloads().get(0);
        assertThat(w.throughput()).isEqualTo(50.0);
        assertThat(w.latency().p50Us()).isBetween(49_900.0, 50_100.0);
        assertThat(w.latency().maxUs()).isBetween(99_900.0, 100_100.0);
        io.kplane.reports.IntervalLog log = io.kplane.reports.IntervalLog.read(dir.resolve(w.hlog()));
        assertThat(log.total().getTotalCount()).isEqualTo(100);
        assertThat(log.intervals().get(0).lengthSec()).isEqualTo(2.0);
    }
}
