package io.kplane.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchmarksMarkdownTest {

    @TempDir Path tmp;

    @Test
    void benchmarksMdCarriesTheMethodAndEveryFigureOfTheRun() throws Exception {
        Path run = SampleRun.write(tmp.resolve("20261204-010203"), 1.0, 11);
        Path out = tmp.resolve("BENCHMARKS.md");
        int code = new CommandLine(new ReportCommand()).execute("--benchmarks-md", "-o", out.toString(), run.toString());
        assertThat(code).isZero();
        String md = Files.readString(out);
        RunSummary s = RunFiles.readSummary(run);
        WorkloadResult kplane = s.areas().get(1).workloads().get(0);
        WorkloadResult etcd = s.areas().get(1).workloads().get(1);
        assertThat(md).startsWith(BenchmarksMarkdown.TITLE + "\n\n" + BenchmarksMarkdown.METHOD)
                .contains("## How the figures are measured", "## Run", "`20261204-010203`, `kplane suite --quick`",
                        "Test CPU, 2 cores", "## Front page", "## store: etcd v3 API puts vs etcd 3.4")
                // the workloads' own figures, as measured, for both systems
                .contains("| put | kplane | open | " + SummaryTable.number(kplane.throughput()) + " | "
                        + HtmlReport.micros(kplane.latency().p50Us()))
                .contains("| put | etcd-3.4 | open | " + SummaryTable.number(etcd.throughput()) + " | "
                        + HtmlReport.micros(etcd.latency().p50Us()))
                // the headline against its same-run peer, and the published one as context only
                .contains("etcd 3.4, this machine: " + SummaryTable.number(etcd.throughput()) + " ops/s")
                .contains("etcd write latency avg, 1 client: 1.60 ms")
                .contains("RecorderBenchmark.recorderRecord {values=10000}", "| check | SKIPPED | not built yet");
    }

    @Test
    void withoutRunDirTheNewestRunUnderReportsOutIsUsed() throws Exception {
        Path outRoot = tmp.resolve("reports/out");
        SampleRun.write(outRoot.resolve("20261203-000000"), 1.0, 1);
        SampleRun.write(outRoot.resolve("20261204-000000"), 2.0, 2);
        Files.createDirectories(outRoot.resolve("20261205-000000")); // no summary.json: not a run
        assertThat(ReportCommand.newestRun(outRoot)).isEqualTo(outRoot.resolve("20261204-000000"));
        assertThat(ReportCommand.newestRun(tmp.resolve("missing"))).isNull();
    }

    @Test
    void aDirectoryThatIsNotARunIsRefused() throws Exception {
        Path notARun = Files.createDirectories(tmp.resolve("empty"));
        int code = new CommandLine(new ReportCommand()).execute("--benchmarks-md", "-o", tmp.resolve("B.md").toString(),
                notARun.toString());
        assertThat(code).isEqualTo(2);
        assertThat(tmp.resolve("B.md")).doesNotExist();
    }
}
