package io.kplane.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front page of a run directory: each figure against the project's goal and the peer measured in
 * the same run; published figures from other hardware as context without a verdict; and a notice
 * when etcd was not there to be the peer.
 */
class FrontPageTest {

    @TempDir Path tmp;

    /** A run directory as the harness writes it: summary.json and env.json ({@code etcd} as probed). */
    private Path run(String name, String etcd, List<Headline> storeHeadlines) {
        Path dir = tmp.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        AreaResult store = new AreaResult("store", "etcd v3 API vs etcd 3.4", AreaResult.Status.OK, null, storeHeadlines,
                List.of(), List.of(), List.of(), 30);
        Headline partial = Headline.of("proxy", "iptables partial sync (median wall)", 0.4, "ms", false)
                .against(Anchors.goal("partial sync under 1 ms", 1, "ms", "issue #7"));
        Headline full = Headline.of("proxy", "iptables full render 10k", 150, "ms", false)
                .against(Anchors.goal("full render under 100 ms", 100, "ms", "issue #7"))
                .against(Anchors.measured("iptables-restore --test on the same text", 3000, "ms"));
        AreaResult proxy = new AreaResult("proxy", "rules", AreaResult.Status.OK, null, List.of(partial, full), List.of(),
                List.of(), List.of(), 10);
        RunFiles.writeSummary(dir, new RunSummary(RunSummary.SCHEMA, "suite", "kplane suite --quick",
                "2026-12-04T00:00:00Z", 60, true, List.of(store, proxy)));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpuModel", "Test CPU");
        env.put("cores", 2);
        env.put("etcd", etcd);
        RunFiles.write(dir.resolve(RunFiles.ENV), env);
        return dir;
    }

    private static Map<String, SummaryTable.Row> byMetric(RunSummary s) {
        Map<String, SummaryTable.Row> out = new LinkedHashMap<>();
        SummaryTable.rows(s).forEach(r -> out.put(r.metric(), r));
        return out;
    }

    @Test
    void eachFigureIsComparedWithItsGoalAndThePeerOfTheSameRun() throws Exception {
        Path dir = run("with-etcd", "etcd Version: 3.4.23", List.of(
                Headline.of("store", "puts/s, 256 clients", 2000, "ops/s", true)
                        .against(Anchors.measured("etcd 3.4, same client, this machine", 1600, "ops/s")),
                Headline.of("store", "put p99", 40, "ms", false)
                        .against(Anchors.measured("etcd 3.4 p99 at the same rate", 20, "ms"))));
        RunSummary s = RunFiles.readSummary(dir);
        Map<String, SummaryTable.Row> rows = byMetric(s);

        SummaryTable.Row puts = rows.get("puts/s, 256 clients");
        assertThat(puts.peer()).isEqualTo("etcd 3.4, same client, this machine: 1,600 ops/s");
        assertThat(puts.vsPeer()).isEqualTo("1.25x better");
        assertThat(puts.goal()).isEqualTo("at least the peer's");
        assertThat(puts.vsGoal()).isEqualTo("met");
        SummaryTable.Row p99 = rows.get("put p99");
        assertThat(p99.vsPeer()).isEqualTo("2.00x worse"); // lower is better for latency
        assertThat(p99.vsGoal()).isEqualTo("not met");

        SummaryTable.Row partial = rows.get("iptables partial sync (median wall)");
        assertThat(partial.goal()).isEqualTo("<= 1 ms (partial sync under 1 ms)");
        assertThat(partial.vsGoal()).isEqualTo("met (0.40x)");
        assertThat(partial.peer()).isEmpty();
        SummaryTable.Row full = rows.get("iptables full render 10k");
        assertThat(full.vsGoal()).isEqualTo("not met (1.50x)");
        assertThat(full.vsPeer()).isEqualTo("0.05x better");

        assertThat(SummaryTable.notices(s, RunFiles.readEnv(dir))).isEmpty();
        String html = Files.readString(Report.write(dir));
        assertThat(html).contains("<th>goal</th><th>vs goal</th><th>peer (this run)</th><th>vs peer</th>",
                "1.25x better", "not met (1.50x)").doesNotContain("class=\"notice\"");
        assertThat(Files.readString(dir.resolve(RunFiles.MARKDOWN)))
                .contains("| store | OK | puts/s, 256 clients | 2,000 ops/s | at least the peer's | met |"
                        + " etcd 3.4, same client, this machine: 1,600 ops/s | 1.25x better |  |");
    }

    @Test
    void aPublishedFigureFromOtherHardwareIsContextWithoutARatioOrVerdict() throws Exception {
        Path dir = run("published", "etcd Version: 3.4.23", List.of(
                Headline.of("store", "puts/s, 256 clients", 1700, "ops/s", true).against(Anchors.ETCD_WRITES_1000_CLIENTS)));
        RunSummary s = RunFiles.readSummary(dir);
        SummaryTable.Row row = byMetric(s).get("puts/s, 256 clients");
        assertThat(row.context()).startsWith("etcd writes, 1000 clients: 44,341 ops/s (etcd docs");
        assertThat(row.vsPeer()).isEmpty();
        assertThat(row.vsGoal()).isEmpty();
        assertThat(row.goal()).isEmpty();
        String text = SummaryTable.text(s, RunFiles.readEnv(dir));
        assertThat(text).contains("context only").doesNotContain("0.04x");
        String html = Files.readString(Report.write(dir));
        assertThat(html).contains("not compared").doesNotContain("0.04x").doesNotContain("better than").doesNotContain("worse than");
    }

    @Test
    void aRunWithoutEtcdSaysSoAndHowToInstallIt() throws Exception {
        Path dir = run("no-etcd", "not installed (" + Anchors.ETCD_INSTALL + ")", List.of(
                Headline.of("store", "puts/s, 256 clients", 1700, "ops/s", true)
                        .against(Anchors.ETCD_WRITES_1000_CLIENTS).withNote("etcd not installed here")));
        String install = "apt-get install -y etcd-server etcd-client";
        RunData d = RunData.read(dir);
        assertThat(SummaryTable.notices(d.summary(), d.env())).anySatisfy(n ->
                assertThat(n).contains("etcd is not installed", install));
        assertThat(SummaryTable.text(d.summary(), d.env())).startsWith("NOTE: etcd is not installed").contains(install);
        String html = Files.readString(Report.write(dir));
        assertThat(html).contains("<p class=\"notice\">etcd is not installed", install);
        assertThat(Files.readString(dir.resolve(RunFiles.MARKDOWN))).contains("> etcd is not installed", install);
    }

    @Test
    void anOlderRunWithoutTheEtcdProbeIsJudgedByWhatItsAreasReported() throws Exception {
        Path dir = run("old", "ignored", List.of(
                Headline.of("store", "puts/s", 1700, "ops/s", true).withNote("etcd not installed here")));
        RunSummary s = RunFiles.readSummary(dir);
        assertThat(SummaryTable.etcdMissing(s, Map.of())).isTrue();
        assertThat(SummaryTable.etcdMissing(s, Map.of("etcd", "etcd Version: 3.4.23"))).isFalse();
    }
}
