package io.kplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.reports.AreaResult;
import io.kplane.reports.JmhResults;
import io.kplane.reports.JmhScore;
import io.kplane.reports.RunFiles;
import io.kplane.reports.RunSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SuiteAndJmhTest {

    @TempDir Path tmp;

    @Test
    void suiteWritesOneRunDirectoryAndSaysWhatIsNotBuilt() throws Exception {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
            BenchArea fake = new BenchArea() {
                @Override public String name() { return "fake"; }
                @Override public String title() { return "a fast fake area"; }
                @Override public void run(RunContext ctx) {
                    ctx.headline(ctx.measured("fake ops", 123, "ops/s", true).against(
                            io.kplane.reports.Anchors.ETCD_WRITES_1_CLIENT));
                }
            };
            code = new CommandLine(new SuiteCommand(List.of(fake))).execute("--quick", "--skip", "jmh", "--out",
                    tmp.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(code).isZero();
        List<Path> runs;
        try (var s = Files.list(tmp)) {
            runs = s.toList();
        }
        assertThat(runs).hasSize(1);
        Path run = runs.get(0);
        assertThat(run.getFileName().toString()).matches("\\d{8}-\\d{6}");
        for (String f : List.of(RunFiles.SUMMARY, RunFiles.ENV, RunFiles.HTML, RunFiles.MARKDOWN)) {
            assertThat(run.resolve(f)).isRegularFile();
        }
        RunSummary s = RunFiles.readSummary(run);
        assertThat(s.kind()).isEqualTo("suite");
        assertThat(s.areas()).extracting(AreaResult::area).containsExactly("check", "store", "scheduler", "proxy", "fake");
        assertThat(s.areas().get(4).headlines().get(0).ratio()).isEqualTo(123.0 / 583);
        assertThat(s.areas()).allMatch(a -> a.status() == AreaResult.Status.SKIPPED || !a.headlines().isEmpty());
        assertThat(buf.toString()).contains("check", "SKIPPED", "index.html", "fake ops", "etcd writes, 1 client: 583 ops/s");
        assertThat(Files.readString(run.resolve(RunFiles.ENV))).contains("\"cores\"", "\"jvmFlags\"", "\"gitCommit\"");
    }

    @Test
    void jmhRunsInAChildJvmAndSavesJson() throws Exception {
        // Other JMH runs on this machine (benchmarks, other builds) hold JMH's lock; this test
        // checks the mechanics only, so it does not wait for them.
        System.setProperty("kplane.jmh.ignoreLock", "true");
        assertThat(JmhRun.list(List.of("RecorderBenchmark\\.recorder"))).containsExactly(
                "io.kplane.bench.rig.RecorderBenchmark.recorderRecord");
        java.util.Map<String, Integer> combos = JmhRun.listWithParameterCombinations(List.of("HlogEncodeBenchmark"));
        assertThat(combos).containsEntry("io.kplane.bench.rig.HlogEncodeBenchmark.encodeCompressed", 1);
        JmhSettings tiny = new JmhSettings(1, 0, "100ms", 2, "200ms", List.of());
        Optional<Path> json = JmhRun.run(tmp, "t", List.of("RecorderBenchmark\\.singleWriter"), tiny, List.of(),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(json).as("JMH result; log:%n%s", Files.exists(tmp.resolve("jmh-t.log"))
                ? Files.readString(tmp.resolve("jmh-t.log")) : "(none)").isPresent();
        List<JmhScore> scores = JmhResults.read(json.get());
        assertThat(scores).hasSize(1);
        assertThat(scores.get(0).score()).isPositive();
        assertThat(scores.get(0).unit()).isEqualTo("ns/op");
        assertThat(Files.readString(tmp.resolve("jmh-t.log"))).contains("--add-opens=java.base/java.lang=ALL-UNNAMED");
    }
}
