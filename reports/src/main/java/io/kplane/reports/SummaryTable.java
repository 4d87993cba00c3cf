package io.kplane.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * The front page as rows: per area, its headline figures next to their anchors and ratios, or
 * the reason it did not run. The HTML report and the terminal show the same rows.
 */
public final class SummaryTable {

    /** One row of the front page. Empty strings where a column does not apply. */
    public record Row(String area, String status, String metric, String value, String anchor, String ratio,
                      String verdict) {}

    private SummaryTable() {}

    public static List<Row> rows(RunSummary summary) {
        List<Row> rows = new ArrayList<>();
        for (AreaResult a : summary.areas()) {
            String status = a.status().name();
            if (a.status() != AreaResult.Status.OK || a.headlines().isEmpty()) {
                rows.add(new Row(a.area(), status, a.message() == null ? a.title() : a.message(), "", "", "", ""));
                continue;
            }
            for (Headline h : a.headlines()) {
                String anchor = h.anchor() == null ? "" : h.anchor().name() + ": " + number(h.anchor().value()) + " "
                        + h.anchor().unit();
                String ratio = h.ratio() == null ? "" : String.format("%.2fx", h.ratio());
                Boolean beats = h.beatsAnchor();
                String verdict = beats == null ? "" : beats ? "better than anchor" : "worse than anchor";
                rows.add(new Row(a.area(), status, h.metric(), number(h.value()) + " " + h.unit(), anchor, ratio, verdict));
            }
        }
        return rows;
    }

    /** A plain-text table for the terminal. */
    public static String text(RunSummary summary) {
        List<Row> rows = rows(summary);
        String[] head = {"area", "status", "headline", "value", "anchor", "ratio", ""};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = Math.max(1, head[i].length());
        }
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.min(Math.max(w[i], c[i].length()), i == 2 || i == 4 ? 60 : 40);
            }
        }
        StringBuilder b = new StringBuilder();
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
        return new String[] {r.area(), r.status(), r.metric(), r.value(), r.anchor(), r.ratio(), r.verdict()};
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
