package io.kplane.check;

import io.kplane.check.tlc.TlcOutcome;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The table {@code kplane check all} ends with: for each target, the explorer's search of the
 * implementation beside TLC's search of the spec's model. The two count different states (the
 * implementation's full state vs. the spec's variables, under different bounds), so the figures
 * say how big each search was, not which is "right".
 */
final class SideBySide {
    private final PrintStream out;

    SideBySide(PrintStream out) {
        this.out = out;
    }

    void print(Map<String, ExplorationResult> explored, Map<String, TlcOutcome> tlc) {
        out.println();
        out.println("== explorer (implementation) vs. TLC (spec)");
        out.printf(Locale.ROOT, "  %-16s | %-9s %14s %14s %6s %9s | %-9s %14s %14s %6s %9s%n",
                "model", "explorer", "distinct", "generated", "depth", "seconds", "TLC", "distinct", "generated", "depth", "seconds");
        for (TlcModel m : TlcModel.ALL) {
            TlcOutcome o = tlc.get(m.name());
            ExplorationResult e = m.explorerTarget() == null ? null : explored.get(m.explorerTarget());
            if (o == null && e == null) {
                continue;
            }
            String left = e == null ? String.format(Locale.ROOT, "%-9s %14s %14s %6s %9s", "-", "", "", "", "")
                    : String.format(Locale.ROOT, "%-9s %,14d %,14d %6d %9.1f", e.ok() ? "pass" : e.passed() ? "UNCOVERED" : "VIOLATION",
                            e.stats().distinct(), e.stats().generated(), e.stats().maxDepth(), e.stats().seconds());
            String right = o == null ? "-"
                    : String.format(Locale.ROOT, "%-9s %,14d %,14d %6d %9.1f", TlcRunner.verdict(m, o).startsWith("PASS") ? "pass" : "FAILED",
                            o.distinct(), o.generated(), o.depth(), o.seconds());
            out.printf(Locale.ROOT, "  %-16s | %s | %s%n", m.name(), left, right);
        }
        out.println("  explorer coverage:");
        explored.forEach((name, e) -> {
            out.printf(Locale.ROOT, "    %-14s pruned %,d; actions: %s%n", name, e.pruned(), ResultPrinter.actionLine(e));
            if (!e.behaviours().isEmpty()) {
                StringBuilder b = new StringBuilder();
                for (ExplorationResult.BehaviourResult x : e.behaviours()) {
                    b.append(b.length() == 0 ? "" : ", ").append(x.name()).append(' ')
                            .append(x.steps() == 0 ? "NEVER" : String.format(Locale.ROOT, "%,d", x.steps()));
                }
                out.printf(Locale.ROOT, "    %-14s required: %s%n", "", b);
            }
        });
        out.flush();
    }
}
