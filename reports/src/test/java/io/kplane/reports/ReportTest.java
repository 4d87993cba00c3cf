package io.kplane.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir Path tmp;

    @Test
    void htmlIsSelfContainedAndCarriesFiguresAnchorsAndCharts() throws Exception {
        Path run = SampleRun.write(tmp.resolve("run"), 1.0, 3);
        Path html = Report.write(run);
        String page = Files.readString(html);
        assertThat(page).doesNotContainPattern("(?i)(src|href)=\"(https?:)?//")
                .doesNotContainPattern("(?i)<link\\b").doesNotContainPattern("(?i)@import|url\\(")
                .doesNotContainPattern("(?i)<script[^>]+src=");
        assertThat(page).contains("data:image/png;base64,");
        RunSummary s = RunFiles.readSummary(run);
        WorkloadResult k = s.areas().get(1).workloads().get(0);
        assertThat(page).contains(SummaryTable.number(k.throughput()), HtmlReport.micros(k.latency().p99Us()),
                HtmlReport.micros(k.latency().p999Us()), "etcd 3.4, this machine", "measured in this run",
                "kplane / etcd-3.4", "RecorderBenchmark.recorderRecord {values=10000}", "Test CPU");
        assertThat(s.peers()).singleElement().satisfies(p -> {
            assertThat(p.system()).isEqualTo("kplane");
            assertThat(p.peer()).isEqualTo("etcd-3.4");
            assertThat(p.throughputRatio()).isCloseTo(1000.0 / 700.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.p99Ratio()).isLessThan(0.6); // kplane's sample latencies are 2.5x smaller
        });
        assertThat(Files.readString(run.resolve(RunFiles.SUMMARY))).contains("\"peers\"", "\"throughputRatio\"");
        String md = Files.readString(run.resolve(RunFiles.MARKDOWN));
        assertThat(md).contains("| store | OK | put throughput at 1000/s |", "| check | SKIPPED | not built yet",
                HtmlReport.micros(k.latency().p99Us()));
    }

    @Test
    void intervalLogReadsBackWhatTheWriterWrote() throws Exception {
        Path run = SampleRun.write(tmp.resolve("run"), 1.0, 5);
        IntervalLog log = IntervalLog.read(run.resolve("store-put-kplane.hlog"));
        assertThat(log.intervals()).hasSize(10);
        assertThat(log.total().getTotalCount()).isEqualTo(10_000);
        assertThat(log.intervals().get(3).startSec()).isEqualTo(3.0);
        assertThat(log.intervals().get(3).rate()).isEqualTo(1000.0);
        assertThat(log.spread(IntervalLog.Interval::rate)).isZero();
    }

    @Test
    void ninesAxisLabelsPercentilesLikeHdrHistogramPlots() {
        assertThat(NinesFormat.label(1)).isEqualTo("0%");
        assertThat(NinesFormat.label(NinesFormat.position(90))).isEqualTo("90%");
        assertThat(NinesFormat.label(100)).isEqualTo("99%");
        assertThat(NinesFormat.label(1000)).isEqualTo("99.9%");
        assertThat(NinesFormat.label(100_000)).isEqualTo("99.999%");
    }
}
