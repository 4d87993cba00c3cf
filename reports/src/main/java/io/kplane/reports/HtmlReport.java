package io.kplane.reports;

import static io.kplane.reports.Html.esc;
import static io.kplane.reports.SummaryTable.number;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The self-contained HTML report of a run: front page (per area: headline, goal, peer in this run), then
 * per area its workloads with percentile-distribution and throughput charts (peers on the same
 * chart), the JMH results and the machine. No external scripts, styles, fonts or images.
 */
final class HtmlReport {

    private HtmlReport() {}

    static String render(RunData d) {
        RunSummary s = d.summary();
        StringBuilder b = new StringBuilder(1 << 16);
        String name = d.dir().getFileName().toString();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>kplane ")
                .append(esc(s.kind())).append(" report ").append(esc(name)).append("</title>\n<style>")
                .append(CSS).append("</style></head>\n<body>\n");
        b.append("<h1>kplane ").append(esc(s.kind())).append(" report</h1>\n<p class=\"sub\">")
                .append(esc(s.command())).append(" &middot; started ").append(esc(s.started())).append(" &middot; ")
                .append(String.format("%.0f s", s.seconds())).append(s.quick() ? " &middot; quick" : "")
                .append(" &middot; ").append(esc(machineLine(d.env()))).append("</p>\n");

        b.append("<h2 id=\"front-page\">Front page</h2>\n");
        for (String n : SummaryTable.notices(s, d.env())) {
            b.append("<p class=\"notice\">").append(esc(n)).append("</p>\n");
        }
        b.append("<table class=\"front\"><tr><th>area</th><th>status</th><th>headline</th><th>value</th>"
                + "<th>goal</th><th>vs goal</th><th>peer (this run)</th><th>vs peer</th>"
                + "<th>published elsewhere (not compared)</th></tr>\n");
        for (SummaryTable.Row r : SummaryTable.rows(s)) {
            b.append("<tr class=\"").append(esc(r.status().toLowerCase())).append("\"><td><a href=\"#area-")
                    .append(esc(r.area())).append("\">").append(esc(r.area())).append("</a></td><td>")
                    .append(esc(r.status())).append("</td><td>").append(esc(r.metric())).append("</td><td class=\"num\">")
                    .append(esc(r.value())).append("</td><td>").append(esc(r.goal())).append("</td><td class=\"")
                    .append(verdictClass(r.vsGoal(), "met")).append("\">").append(esc(r.vsGoal())).append("</td><td>")
                    .append(esc(r.peer())).append("</td><td class=\"num ").append(verdictClass(r.vsPeer(), "better"))
                    .append("\">").append(esc(r.vsPeer())).append("</td><td class=\"note\">").append(esc(r.context()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"note\">vs peer = value / the peer's value, both measured in this run on this"
                + " machine. Figures published elsewhere (DESIGN.md &sect;5) ran on other hardware: they are context,"
                + " never a verdict.</p>\n");

        for (AreaResult a : s.areas()) {
            area(b, d, a);
        }
        environment(b, d.env());
        b.append(SCRIPT).append("</body></html>\n");
        return b.toString();
    }

    private static void area(StringBuilder b, RunData d, AreaResult a) {
        b.append("<section class=\"area\" id=\"area-").append(esc(a.area())).append("\">\n<h2>")
                .append(esc(a.area())).append(": ").append(esc(a.title())).append("</h2>\n<p><span class=\"badge ")
                .append(esc(a.status().name().toLowerCase())).append("\">").append(esc(a.status())).append("</span> ")
                .append(a.message() == null ? "" : esc(a.message()))
                .append(String.format(" <span class=\"note\">(%.0f s)</span>", a.seconds())).append("</p>\n");
        if (!a.headlines().isEmpty()) {
            b.append("<table><tr><th>headline</th><th>value</th><th>noise</th><th>compared with</th><th>its value</th>"
                    + "<th>ratio</th><th>source</th><th>goal</th><th>note</th></tr>\n");
            for (Headline h : a.headlines()) {
                b.append("<tr><td>").append(esc(h.metric())).append("</td><td class=\"num\">").append(number(h.value()))
                        .append(' ').append(esc(h.unit())).append("</td><td class=\"num\">")
                        .append(h.noise() == null ? "" : String.format("&plusmn;%.1f%%", h.noise() * 100)).append("</td>");
                if (h.anchor() != null) {
                    b.append("<td>").append(esc(h.anchor().name())).append("</td><td class=\"num\">")
                            .append(number(h.anchor().value())).append(' ').append(esc(h.anchor().unit()))
                            .append("</td><td class=\"num\">")
                            .append(h.peer() != null ? String.format("%.2fx", h.ratio()) : "not compared")
                            .append("</td><td>").append(esc(h.anchor().source())).append("</td>");
                } else {
                    b.append("<td></td><td></td><td></td><td></td>");
                }
                b.append("<td>").append(h.goal() == null ? "" : esc(SummaryTable.row(a.area(), "", h).goal() + ": "
                        + SummaryTable.row(a.area(), "", h).vsGoal())).append("</td><td>").append(esc(h.note()))
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        if (!a.workloads().isEmpty()) {
            workloads(b, d, a);
        }
        for (String f : a.jmhFiles()) {
            List<JmhScore> scores = d.jmh().get(f);
            if (scores != null) {
                jmh(b, f, scores);
            }
        }
        if (!a.notes().isEmpty()) {
            b.append("<ul class=\"notes\">");
            a.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>"));
            b.append("</ul>\n");
        }
        b.append("</section>\n");
    }

    private static void workloads(StringBuilder b, RunData d, AreaResult a) {
        b.append("<table><tr><th>workload</th><th>system</th><th>mode</th><th>target/s</th><th>outstanding</th>"
                + "<th>throughput/s</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>errors</th>"
                + "<th>noise (thrpt / p99)</th><th>rig CPU</th><th>JVM CPU</th><th>durability</th><th>parameters</th></tr>\n");
        for (WorkloadResult w : a.workloads()) {
            Latency l = w.latency();
            b.append("<tr><td>").append(esc(w.workload())).append("</td><td>").append(esc(w.system())).append("</td><td>")
                    .append(esc(w.mode())).append("</td><td class=\"num\">")
                    .append(w.targetRate() > 0 ? number(w.targetRate()) : "").append("</td><td class=\"num\">")
                    .append(w.concurrency()).append("</td><td class=\"num\">").append(number(w.throughput()))
                    .append("</td>");
            for (double us : new double[] {l.p50Us(), l.p90Us(), l.p99Us(), l.p999Us(), l.maxUs()}) {
                b.append("<td class=\"num\">").append(esc(micros(us))).append("</td>");
            }
            b.append("<td class=\"num\">").append(w.errors()).append("</td><td class=\"num\">")
                    .append(pct(w.throughputNoise())).append(" / ").append(pct(w.p99Noise())).append("</td><td class=\"num\">")
                    .append(pct(w.rigCpuShare())).append("</td><td class=\"num\">").append(pct(w.processCpuShare()))
                    .append("</td><td>").append(esc(w.durability())).append("</td><td>").append(esc(w.parameters()))
                    .append("</td></tr>\n");
            if (w.note() != null) {
                b.append("<tr><td></td><td colspan=\"16\" class=\"note\">").append(esc(w.note())).append("</td></tr>\n");
            }
        }
        b.append("</table>\n<p class=\"note\">Latency in open loop is measured from each request's intended send time"
                + " (no coordinated omission); in closed loop it is service time. CPU shares are of all cores.</p>\n");

        // One pair of charts per workload, with every system that ran it (peers on the same chart).
        Map<String, List<WorkloadResult>> byWorkload = new LinkedHashMap<>();
        for (WorkloadResult w : a.workloads()) {
            byWorkload.computeIfAbsent(w.workload(), k -> new ArrayList<>()).add(w);
        }
        for (Map.Entry<String, List<WorkloadResult>> e : byWorkload.entrySet()) {
            Map<String, Histogram> hists = new LinkedHashMap<>();
            Map<String, IntervalLog> logs = new LinkedHashMap<>();
            for (WorkloadResult w : e.getValue()) {
                IntervalLog log = w.hlog() == null ? null : d.logs().get(w.hlog());
                if (log != null && log.total().getTotalCount() > 0) {
                    hists.put(w.system(), log.total());
                    logs.put(w.system(), log);
                }
            }
            if (hists.isEmpty()) {
                continue;
            }
            String systems = String.join(" vs ", hists.keySet());
            if (e.getValue().size() > 1) {
                peers(b, e.getValue());
            }
            b.append("<div class=\"charts\">");
            String base = a.area() + " " + e.getKey();
            chart(b, base + ": latency by percentile (" + systems + ")",
                    () -> Charts.percentiles(base + ": latency by percentile", hists));
            chart(b, base + ": throughput over time (" + systems + ")",
                    () -> Charts.throughput(base + ": throughput over time", logs));
            b.append("</div>\n");
        }
    }

    /** Ratios of the reference system (kplane when present) to each peer on one workload. */
    private static void peers(StringBuilder b, List<WorkloadResult> runs) {
        b.append("<table class=\"peers\"><tr><th>").append(esc(runs.get(0).workload()))
                .append(": system / peer</th><th>throughput ratio</th><th>p50 ratio</th><th>p99 ratio</th><th>p99.9 ratio</th></tr>\n");
        for (PeerRatio p : PeerRatio.of(runs)) {
            b.append("<tr><td>").append(esc(p.system())).append(" / ").append(esc(p.peer())).append("</td>")
                    .append(ratioCell(p.throughputRatio())).append(ratioCell(p.p50Ratio()))
                    .append(ratioCell(p.p99Ratio())).append(ratioCell(p.p999Ratio())).append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static String ratioCell(Double r) {
        return "<td class=\"num\">" + (r == null ? "" : String.format("%.3gx", r)) + "</td>";
    }

    private static void chart(StringBuilder b, String caption, java.util.function.Supplier<org.jfree.chart.JFreeChart> draw) {
        String uri;
        try {
            uri = Charts.dataUri(draw.get());
        } catch (RuntimeException | Error e) {
            // A machine without fonts (Java2D needs fontconfig) must still get the figures.
            b.append("<p class=\"bad\">chart \"").append(esc(caption)).append("\" could not be drawn: ").append(esc(e))
                    .append(" (install fontconfig and fonts-dejavu-core)</p>");
            return;
        }
        b.append("<figure class=\"chart\"><img class=\"chart\" width=\"").append(Charts.WIDTH).append("\" height=\"")
                .append(Charts.HEIGHT).append("\" alt=\"").append(esc(caption)).append("\" src=\"")
                .append(uri).append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>");
    }

    private static void jmh(StringBuilder b, String file, List<JmhScore> scores) {
        b.append("<h3>JMH results (").append(esc(file)).append(")</h3>\n<table><tr><th>benchmark</th><th>mode</th>"
                + "<th>score</th><th>error (99.9%)</th><th>unit</th><th>forks x iterations</th></tr>\n");
        for (JmhScore j : scores) {
            Double rel = j.relativeError();
            b.append("<tr><td>").append(esc(j.shortName())).append("</td><td>").append(esc(j.mode()))
                    .append("</td><td class=\"num\">").append(number(j.score())).append("</td><td class=\"num")
                    .append(rel != null && rel > 0.10 ? " bad" : "").append("\">")
                    .append(Double.isNaN(j.scoreError()) ? "n/a" : "&plusmn;" + number(j.scoreError())
                            + (rel == null ? "" : String.format(" (%.1f%%)", rel * 100)))
                    .append("</td><td>").append(esc(j.unit())).append("</td><td class=\"num\">").append(j.forks())
                    .append(" x ").append(j.iterations()).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void environment(StringBuilder b, Map<String, Object> env) {
        b.append("<h2 id=\"environment\">Machine and JVM</h2>\n<table class=\"env\">");
        env.forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
        b.append("</table>\n");
    }

    private static String verdictClass(String verdict, String good) {
        if (verdict.isEmpty()) {
            return "";
        }
        return verdict.startsWith(good) || verdict.endsWith(good) ? "good" : "bad";
    }

    static String machineLine(Map<String, Object> env) {
        if (env.isEmpty()) {
            return "machine unknown (no env.json)";
        }
        return env.getOrDefault("cpuModel", "?") + ", " + env.getOrDefault("cores", "?") + " cores, "
                + env.getOrDefault("memory", "?") + ", " + env.getOrDefault("jvm", "?") + ", commit "
                + String.valueOf(env.getOrDefault("gitCommit", "?")).substring(0,
                        Math.min(12, String.valueOf(env.getOrDefault("gitCommit", "?")).length()))
                + (Boolean.TRUE.equals(env.get("gitDirty")) ? " (dirty)" : "");
    }

    static String micros(double us) {
        if (us >= 1_000_000) {
            return String.format("%.2f s", us / 1e6);
        }
        if (us >= 1_000) {
            return String.format("%.2f ms", us / 1e3);
        }
        return String.format("%.1f us", us);
    }

    private static String pct(Double x) {
        return x == null ? "n/a" : String.format("%.1f%%", x * 100);
    }

    private static final String CSS = """
            body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1600px}
            h1{margin-bottom:4px}.sub,.note{color:#666;font-size:0.9em}
            table{border-collapse:collapse;margin:8px 0 16px 0;font-size:0.9em}
            th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.skipped td{color:#777}tr.failed td{color:#b00}
            .notice{background:#fff6d6;border:1px solid #e0c060;padding:6px 10px}
            .good{color:#070;font-weight:bold}.bad{color:#b00;font-weight:bold}
            .badge{padding:1px 6px;border-radius:3px;font-size:0.85em;color:#fff;background:#777}
            .badge.ok{background:#2a7}.badge.failed{background:#c33}.badge.skipped{background:#999}
            section.area{border-top:2px solid #eee;margin-top:24px}
            .charts{display:flex;flex-wrap:wrap;gap:12px}figure.chart{margin:0}
            figcaption{font-size:0.85em;color:#555;text-align:center}
            table.env td{font-family:monospace;font-size:0.85em}
            """;

    /**
     * Marks on the page how many charts decoded (for people: a broken image is obvious; for the
     * browser test: it reads the attribute from the DOM). Inline, no external script.
     */
    private static final String SCRIPT = """
            <script>
            (function(){var imgs=document.querySelectorAll('img.chart'),ok=0,boxes=[];
            for(var i=0;i<imgs.length;i++){var im=imgs[i];if(im.complete&&im.naturalWidth>0){ok++;}
            var r=im.getBoundingClientRect();boxes.push([Math.round(r.left+window.scrollX),Math.round(r.top+window.scrollY),
            Math.round(r.width),Math.round(r.height)].join(','));}
            document.body.setAttribute('data-charts',String(imgs.length));
            document.body.setAttribute('data-charts-rendered',String(ok));
            document.body.setAttribute('data-chart-boxes',boxes.join(';'));})();
            </script>
            """;
}
