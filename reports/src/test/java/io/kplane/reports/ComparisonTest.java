package io.kplane.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.reports.Comparison.Metric;
import io.kplane.reports.Comparison.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @TempDir Path tmp;

    private static Metric thr(double v, Double noise) {
        return new Metric("k", "throughput", v, "ops/s", true, noise);
    }

    private static Metric lat(double v, Double noise) {
        return new Metric("k", "p99", v, "us", false, noise);
    }

    @Test
    void changesInsideTheCombinedNoiseAreWithinNoise() {
        // 3% and 4% noise combine to 5%: a 4.5% gain is noise, a 6% gain is not.
        assertThat(Comparison.cell(thr(100, 0.03), thr(104.5, 0.04)).verdict()).isEqualTo(Verdict.WITHIN_NOISE);
        assertThat(Comparison.cell(thr(100, 0.03), thr(106, 0.04)).verdict()).isEqualTo(Verdict.BETTER);
        assertThat(Comparison.cell(thr(100, 0.03), thr(90, 0.04)).verdict()).isEqualTo(Verdict.WORSE);
    }

    @Test
    void lowerIsBetterForLatencyAndNoisyRunsNeedBiggerChanges() {
        assertThat(Comparison.cell(lat(1000, 0.02), lat(800, 0.02)).verdict()).isEqualTo(Verdict.BETTER);
        assertThat(Comparison.cell(lat(1000, 0.02), lat(1300, 0.02)).verdict()).isEqualTo(Verdict.WORSE);
        assertThat(Comparison.cell(lat(1000, 0.30), lat(1300, 0.30)).verdict()).isEqualTo(Verdict.WITHIN_NOISE);
        Comparison.Cell unknown = Comparison.cell(lat(1000, null), lat(1030, null));
        assertThat(unknown.noiseAssumed()).isTrue();
        assertThat(unknown.verdict()).isEqualTo(Verdict.WITHIN_NOISE);
    }

    @Test
    void aRegressionNeedsToBeWorseThanNoiseAndThanTheThreshold() {
        Comparison.Cell c = Comparison.cell(thr(100, 0.01), thr(85, 0.01));
        assertThat(Comparison.regression(c, 0.10)).isTrue();
        assertThat(Comparison.regression(c, 0.20)).isFalse();
        Comparison.Cell slower = Comparison.cell(lat(1000, 0.01), lat(1200, 0.01)); // baseline 20% faster
        assertThat(slower.improvement()).isCloseTo(-1.0 / 6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Comparison.regression(slower, 0.10)).isTrue();
    }

    @Test
    void compareCommandGatesOnRegressionsBeyondTheThreshold() throws Exception {
        Path a = SampleRun.write(tmp.resolve("a"), 1.0, 11);
        Path same = SampleRun.write(tmp.resolve("same"), 1.0, 11);
        Path slow = SampleRun.write(tmp.resolve("slow"), 2.0, 11);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true));
            int same1 = new CommandLine(new ReportCommand()).execute("compare", a.toString(), same.toString(),
                    "--fail-on", "10%", "--out", tmp.resolve("c1").toString());
            int slow1 = new CommandLine(new ReportCommand()).execute("compare", a.toString(), slow.toString(),
                    "--fail-on", "10%", "--out", tmp.resolve("c2").toString());
            int noGate = new CommandLine(new ReportCommand()).execute("compare", a.toString(), slow.toString(),
                    "--out", tmp.resolve("c3").toString());
            int missing = new CommandLine(new ReportCommand()).execute("compare", a.toString(), tmp.toString());
            assertThat(same1).isZero();
            assertThat(slow1).isEqualTo(1);
            assertThat(noGate).isZero();
            assertThat(missing).isEqualTo(2);
        } finally {
            System.setOut(old);
        }
        String text = buf.toString();
        assertThat(text).contains("WORSE (regression)", "store put [kplane] p99", "jmh RecorderBenchmark.recorderRecord");
        String html = Files.readString(tmp.resolve("c2").resolve("compare.html"));
        // (checked on the text without the embedded images, so that a failure message stays readable)
        String text2 = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,...");
        assertThat(text2).contains("WORSE (regression)", "data:image/png;base64,...",
                "store/put/kplane: latency by percentile, runs compared");
        assertThat(Files.readString(tmp.resolve("c1").resolve("compare.md"))).contains("within noise");
    }

    @Test
    void repeatedRunsCompareMediansAndTheirSpreadCountsAsNoise() throws Exception {
        RunGroup one = RunGroup.of(java.util.List.of(RunData.read(SampleRun.write(tmp.resolve("r1"), 1.0, 21))));
        RunGroup repeats = RunGroup.of(java.util.List.of(one.first(),
                RunData.read(SampleRun.write(tmp.resolve("r2"), 1.4, 21)),
                RunData.read(SampleRun.write(tmp.resolve("r3"), 0.7, 21))));
        RunGroup candidate = RunGroup.of(java.util.List.of(RunData.read(SampleRun.write(tmp.resolve("c"), 1.25, 21))));
        String p99 = "load:store/put/kplane:p99";

        assertThat(repeats.name()).isEqualTo("r1 (+2 repeats)");
        assertThat(repeats.metrics().get(p99).value()).isEqualTo(one.metrics().get(p99).value()); // the median
        assertThat(repeats.metrics().get(p99).noise()).isGreaterThan(0.25);
        Comparison.Row single = Comparison.compare(one, java.util.List.of(candidate)).stream()
                .filter(r -> r.baseline().key().equals(p99)).findFirst().orElseThrow();
        Comparison.Row repeated = Comparison.compare(repeats, java.util.List.of(candidate)).stream()
                .filter(r -> r.baseline().key().equals(p99)).findFirst().orElseThrow();
        assertThat(single.cells().get(0).verdict()).isEqualTo(Verdict.WORSE);
        assertThat(repeated.cells().get(0).verdict()).isEqualTo(Verdict.WITHIN_NOISE);
    }
}
