package io.kplane.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The front page as rows: per area, each headline figure next to the project's goal for it and the
 * peer measured in the same run, or the reason the area did not run; and the notices a reader
 * needs first (no etcd peer, and how to get one). Figures published elsewhere appear only as
 * context: no ratio against other hardware is called better or worse. The HTML report, the
 * Markdown summary and the terminal show the same rows.
 */
public final class SummaryTable {

    /**
     * One row of the front page. Empty strings where a column does not apply.
     *
     * @param goal      the project's goal for the figure ("beat the peer" when only a peer is given)
     * @param vsGoal    "met" / "not met", with the ratio to a numeric goal
     * @param peer      the peer measured in this run, with its value
     * @param vsPeer    value / peer, and whether that is better or worse
     * @param context   a figure published elsewhere, shown for context and never compared
     */
    public record Row(String area, String status, String metric, String value, String goal, String vsGoal,
                      String peer, String vsPeer, String context) {}

    private static final String[] HEAD = {"area", "status", "headline", "value", "goal", "vs goal", "peer (this run)",
            "vs peer", "published elsewhere (not compared)"};

    private SummaryTable() {}

    public static List<Row> rows(RunSummary summary) {
        List<Row> rows = new ArrayList<>();
        for (AreaResult a : summary.areas()) {
            String status = a.status().name();
            if (a.status() != AreaResult.Status.OK || a.headlines().isEmpty()) {
                rows.add(new Row(a.area(), status, a.message() == null ? a.title() : a.message(), "", "", "", "", "", ""));
                continue;
            }
            for (Headline h : a.headlines()) {
                rows.add(row(a.area(), status, h));
            }
        }
        return rows;
    }

    static Row row(String area, String status, Headline h) {
        String goal = "";
        String vsGoal = "";
        if (h.goal() != null) {
            goal = (h.higherIsBetter() ? ">= " : "<= ") + number(h.goal().value()) + " " + h.goal().unit() + " ("
                    + h.goal().name() + ")";
            vsGoal = (h.meetsGoal() ? "met" : "not met") + String.format(" (%.2fx)", h.goalRatio());
        } else if (h.peer() != null) {
            goal = h.higherIsBetter() ? "at least the peer's" : "at most the peer's";
            vsGoal = h.beatsPeer() ? "met" : "not met";
        }
        String peer = "";
        String vsPeer = "";
        if (h.peer() != null) {
            peer = h.peer().name() + ": " + number(h.peer().value()) + " " + h.peer().unit();
            vsPeer = String.format("%.2fx ", h.ratio()) + (h.beatsPeer() ? "better" : "worse");
        }
        Anchor published = h.published();
        String context = published == null ? ""
                : published.name() + ": " + number(published.value()) + " " + published.unit() + " (" + published.source() + ")";
        return new Row(area, status, h.metric(), number(h.value()) + " " + h.unit(), goal, vsGoal, peer, vsPeer, context);
    }

    /**
     * What the reader must know before the table: whether etcd was there to be a peer (and how to
     * install it when it was not), and that published figures are context only.
     *
     * @param env the run's {@code env.json} ({@code etcd}: its version, or "not installed")
     */
    public static List<String> notices(RunSummary summary, Map<String, Object> env) {
        List<String> out = new ArrayList<>();
        if (etcdMissing(summary, env)) {
            out.add("etcd is not installed on this machine, so no figure in this run is compared with etcd 3.4."
                    + " Install it with `" + Anchors.ETCD_INSTALL + "` and run again.");
        }
        boolean published = summary.areas().stream().flatMap(a -> a.headlines().stream()).anyMatch(h -> h.published() != null);
        if (published) {
            out.add("Figures published elsewhere (other hardware, other clusters) are shown for context only;"
                    + " ratios are taken only against peers measured in this run on this machine.");
        }
        return out;
    }

    /** etcd's absence as the run recorded it, or as an area reported it (runs before env.json said). */
    static boolean etcdMissing(RunSummary summary, Map<String, Object> env) {
        Object etcd = env.get("etcd");
        if (etcd != null) {
            return String.valueOf(etcd).startsWith("not installed");
        }
        for (AreaResult a : summary.areas()) {
            List<String> texts = new ArrayList<>(a.notes());
            texts.add(a.message() == null ? "" : a.message());
            a.headlines().forEach(h -> texts.add(h.note() == null ? "" : h.note()));
            for (String t : texts) {
                String l = t.toLowerCase(java.util.Locale.ROOT);
                if (l.contains("etcd not installed") || l.contains("etcd not found") || l.contains("etcd is not installed")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A plain-text table for the terminal. */
    public static String text(RunSummary summary) {
        return text(summary, Map.of());
    }

    /** The notices, then the table, for the terminal. */
    public static String text(RunSummary summary, Map<String, Object> env) {
        List<Row> rows = rows(summary);
        String[] head = HEAD;
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = Math.max(1, head[i].length());
        }
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.min(Math.max(w[i], c[i].length()), i == 2 || i == 4 || i == 6 || i == 8 ? 60 : 40);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String n : notices(summary, env)) {
            b.append("NOTE: ").append(n).append('\n');
        }
        line(b, head, w);
        StringBuilder rule = new StringBuilder();
        for (int x : w) {
            rule.append("-".repeat(x)).append("  ");
        }
        b.append(rule.toString().stripTrailing()).append('\n');
        for (Row r : rows) {
            line(b, cells(r), w);
        }
        return b.toString();
    }

    private static String[] cells(Row r) {
        return new String[] {r.area(), r.status(), r.metric(), r.value(), r.goal(), r.vsGoal(), r.peer(), r.vsPeer(),
                r.context()};
    }

    private static void line(StringBuilder b, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].length() > w[i] && i != 2 ? cells[i].substring(0, w[i] - 1) + "~" : cells[i];
            l.append(String.format("%-" + w[i] + "s", c)).append("  ");
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    /** Numbers for people: thousands separators for large values, 3 significant digits for small. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format("%,d", (long) v);
        }
        if (Math.abs(v) >= 1000) {
            return String.format("%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format("%.0f", v);
        }
        return String.format("%.3g", v);
    }
}
