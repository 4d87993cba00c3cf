package io.kplane.reports;

import static io.kplane.reports.Html.esc;
import static io.kplane.reports.SummaryTable.number;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders a {@link Comparison} for the terminal, as Markdown and as self-contained HTML. */
final class CompareReport {

    private CompareReport() {}

    static String text(RunGroup base, List<RunGroup> cands, List<Comparison.Row> rows, Double threshold, boolean all) {
        StringBuilder b = new StringBuilder();
        b.append("baseline A = ").append(base.name()).append('\n');
        for (int i = 0; i < cands.size(); i++) {
            b.append((char) ('B' + i)).append(" = ").append(cands.get(i).name()).append('\n');
        }
        b.append('\n');
        int shown = 0;
        for (Comparison.Row r : rows) {
            boolean moved = r.cells().stream().anyMatch(c -> c != null && c.verdict() != Comparison.Verdict.WITHIN_NOISE);
            if (!all && !moved) {
                continue;
            }
            shown++;
            StringBuilder l = new StringBuilder(String.format("%-64s A %12s", trim(r.baseline().label(), 64),
                    number(r.baseline().value()) + " " + r.baseline().unit()));
            for (int i = 0; i < r.cells().size(); i++) {
                Comparison.Cell c = r.cells().get(i);
                l.append(String.format("  %c ", (char) ('B' + i)));
                l.append(c == null ? "missing" : String.format("%.2fx %s", c.ratio(), verdict(c, threshold)));
            }
            b.append(l).append('\n');
        }
        long total = rows.size();
        b.append(String.format("%n%d metrics compared; %d shown (%s)%n", total, shown,
                all ? "all" : "those outside noise; --all shows every one"));
        return b.toString();
    }

    static String markdown(RunGroup base, List<RunGroup> cands, List<Comparison.Row> rows, Double threshold) {
        StringBuilder b = new StringBuilder("# kplane run comparison\n\n");
        b.append("Baseline A: `").append(base.name()).append("`");
        for (int i = 0; i < cands.size(); i++) {
            b.append(", ").append((char) ('B' + i)).append(": `").append(cands.get(i).name()).append('`');
        }
        b.append("\n\n| metric | A |");
        for (int i = 0; i < cands.size(); i++) {
            b.append(' ').append((char) ('B' + i)).append(" | ratio | verdict |");
        }
        b.append("\n|---|---:|").append("---:|---:|---|".repeat(cands.size())).append('\n');
        for (Comparison.Row r : rows) {
            b.append("| ").append(r.baseline().label().replace("|", "\\|")).append(" | ")
                    .append(number(r.baseline().value())).append(' ').append(r.baseline().unit()).append(" |");
            for (Comparison.Cell c : r.cells()) {
                if (c == null) {
                    b.append(" missing | | |");
                } else {
                    b.append(' ').append(number(c.metric().value())).append(" | ").append(String.format("%.2fx", c.ratio()))
                            .append(" | ").append(verdict(c, threshold)).append(" |");
                }
            }
            b.append('\n');
        }
        b.append("\nVerdicts: a change within sqrt(noiseA^2 + noiseB^2) is within noise; noise is JMH's error,"
                + " the spread across a load run's intervals or across repeated runs, or 5% where a run gives none"
                + " (marked *).\n");
        return b.toString();
    }

    static String html(RunGroup base, List<RunGroup> cands, List<Comparison.Row> rows, Double threshold) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>kplane run comparison</title><style>"
                + "body{font-family:Helvetica,Arial,sans-serif;margin:24px}table{border-collapse:collapse;font-size:0.9em}"
                + "th,td{border:1px solid #ddd;padding:3px 8px}td.num{text-align:right}.better{color:#070;font-weight:bold}"
                + ".worse{color:#b00;font-weight:bold}.noise{color:#666}</style></head><body>\n<h1>kplane run comparison</h1>\n<p>");
        b.append("Baseline A: ").append(esc(base.name()));
        for (int i = 0; i < cands.size(); i++) {
            b.append(" &middot; ").append((char) ('B' + i)).append(": ").append(esc(cands.get(i).name()));
        }
        if (threshold != null) {
            b.append(String.format(" &middot; regression threshold %.1f%%", threshold * 100));
        }
        b.append("</p>\n<table><tr><th>metric</th><th>A</th>");
        for (int i = 0; i < cands.size(); i++) {
            b.append("<th>").append((char) ('B' + i)).append("</th><th>ratio</th><th>verdict</th>");
        }
        b.append("</tr>\n");
        for (Comparison.Row r : rows) {
            b.append("<tr><td>").append(esc(r.baseline().label())).append("</td><td class=\"num\">")
                    .append(number(r.baseline().value())).append(' ').append(esc(r.baseline().unit())).append("</td>");
            for (Comparison.Cell c : r.cells()) {
                if (c == null) {
                    b.append("<td>missing</td><td></td><td></td>");
                    continue;
                }
                String cls = switch (c.verdict()) {
                    case BETTER -> "better";
                    case WORSE -> "worse";
                    default -> "noise";
                };
                b.append("<td class=\"num\">").append(number(c.metric().value())).append("</td><td class=\"num\">")
                        .append(String.format("%.2fx", c.ratio())).append("</td><td class=\"").append(cls).append("\">")
                        .append(esc(verdict(c, threshold))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        // Percentile distributions of every workload present in the baseline, all runs on one chart.
        Map<String, Map<String, Histogram>> byWorkload = new LinkedHashMap<>();
        List<RunData> runs = new java.util.ArrayList<>();
        runs.add(base.first());
        cands.forEach(c -> runs.add(c.first()));
        for (int i = 0; i < runs.size(); i++) {
            RunData d = runs.get(i);
            for (AreaResult a : d.summary().areas()) {
                for (WorkloadResult w : a.workloads()) {
                    IntervalLog log = d.logs().get(w.hlog());
                    if (log != null && log.total().getTotalCount() > 0) {
                        byWorkload.computeIfAbsent(w.key(), k -> new LinkedHashMap<>())
                                .put((char) ('A' + i) + " " + w.system(), log.total());
                    }
                }
            }
        }
        for (Map.Entry<String, Map<String, Histogram>> e : byWorkload.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            String title = e.getKey() + ": latency by percentile, runs compared";
            b.append("<figure><img class=\"chart\" alt=\"").append(esc(title)).append("\" src=\"")
                    .append(Charts.dataUri(Charts.percentiles(title, e.getValue()))).append("\"><figcaption>")
                    .append(esc(title)).append("</figcaption></figure>\n");
        }
        b.append("<p>Verdicts: a change within sqrt(noiseA&sup2; + noiseB&sup2;) is within noise; noise is JMH's error, the"
                + " spread across a load run's intervals, or 5% where a run gives none (marked *).</p></body></html>\n");
        return b.toString();
    }

    static String verdict(Comparison.Cell c, Double threshold) {
        String v = switch (c.verdict()) {
            case BETTER -> "better";
            case WORSE -> threshold != null && Comparison.regression(c, threshold) ? "WORSE (regression)" : "worse";
            case WITHIN_NOISE -> "within noise";
            case MISSING -> "missing";
        };
        return v + String.format(" (%+.1f%%, noise %.1f%%%s)", c.improvement() * 100, c.noise() * 100,
                c.noiseAssumed() ? "*" : "");
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
