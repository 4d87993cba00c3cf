package io.kplane.reports;

import static io.kplane.reports.SummaryTable.number;

import java.util.List;

/** The Markdown summary of a run: front page, workloads and JMH results as tables. */
final class MarkdownReport {

    private MarkdownReport() {}

    static String render(RunData d) {
        RunSummary s = d.summary();
        StringBuilder b = new StringBuilder();
        b.append("# kplane ").append(s.kind()).append(" report ").append(d.dir().getFileName()).append("\n\n");
        b.append("`").append(s.command()).append("` · started ").append(s.started())
                .append(String.format(" · %.0f s", s.seconds())).append(s.quick() ? " · quick" : "").append("  \n")
                .append(HtmlReport.machineLine(d.env())).append("\n\n");
        body(b, d, "##");
        b.append("\nCharts (latency by percentile, throughput over time) are in index.html.\n");
        return b.toString();
    }

    /** The front page and each area's tables, with {@code h} as the level of their headings. */
    static void body(StringBuilder b, RunData d, String h) {
        RunSummary s = d.summary();
        b.append(h).append(" Front page\n\n");
        for (String n : SummaryTable.notices(s, d.env())) {
            b.append("> ").append(n).append("\n\n");
        }
        b.append("| area | status | headline | value | goal | vs goal | peer (this run) | vs peer | published elsewhere (not compared) |\n")
                .append("|---|---|---|---:|---|---|---|---:|---|\n");
        for (SummaryTable.Row r : SummaryTable.rows(s)) {
            b.append("| ").append(cell(r.area())).append(" | ").append(r.status()).append(" | ").append(cell(r.metric()))
                    .append(" | ").append(cell(r.value())).append(" | ").append(cell(r.goal())).append(" | ")
                    .append(cell(r.vsGoal())).append(" | ").append(cell(r.peer())).append(" | ").append(cell(r.vsPeer()))
                    .append(" | ").append(cell(r.context())).append(" |\n");
        }
        for (AreaResult a : s.areas()) {
            if (a.workloads().isEmpty() && a.jmhFiles().isEmpty() && a.notes().isEmpty()) {
                continue;
            }
            b.append("\n").append(h).append(' ').append(a.area()).append(": ").append(a.title()).append("\n\n");
            if (!a.workloads().isEmpty()) {
                b.append("| workload | system | mode | throughput/s | p50 | p90 | p99 | p99.9 | max | errors | durability |\n")
                        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
                for (WorkloadResult w : a.workloads()) {
                    Latency l = w.latency();
                    b.append("| ").append(cell(w.workload())).append(" | ").append(cell(w.system())).append(" | ")
                            .append(w.mode()).append(" | ").append(number(w.throughput())).append(" | ")
                            .append(HtmlReport.micros(l.p50Us())).append(" | ").append(HtmlReport.micros(l.p90Us()))
                            .append(" | ").append(HtmlReport.micros(l.p99Us())).append(" | ")
                            .append(HtmlReport.micros(l.p999Us())).append(" | ").append(HtmlReport.micros(l.maxUs()))
                            .append(" | ").append(w.errors()).append(" | ").append(cell(w.durability())).append(" |\n");
                }
            }
            for (String f : a.jmhFiles()) {
                List<JmhScore> scores = d.jmh().get(f);
                if (scores == null) {
                    continue;
                }
                b.append("\n| benchmark | mode | score | error | unit |\n|---|---|---:|---:|---|\n");
                for (JmhScore j : scores) {
                    b.append("| ").append(cell(j.shortName())).append(" | ").append(j.mode()).append(" | ")
                            .append(number(j.score())).append(" | ")
                            .append(Double.isNaN(j.scoreError()) ? "n/a" : "±" + number(j.scoreError())).append(" | ")
                            .append(j.unit()).append(" |\n");
                }
            }
            a.notes().forEach(n -> b.append("\n- ").append(n));
            b.append('\n');
        }
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
