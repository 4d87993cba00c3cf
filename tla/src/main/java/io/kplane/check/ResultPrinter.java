package io.kplane.check;

import java.io.PrintStream;
import java.util.Locale;

/** Prints progress lines and results of searches in the format of {@code kplane check}. */
public final class ResultPrinter {
    private final PrintStream out;

    public ResultPrinter(PrintStream out) {
        this.out = out;
    }

    /** A progress line (to be printed every few seconds while a search runs). */
    public static String progressLine(String model, ExplorationStats s, int frontier) {
        return String.format(Locale.ROOT,
                "  [%s] progress: depth %d, %,d distinct, %,d generated, frontier %,d, %,.0f states/s, %.1f s",
                model, s.maxDepth(), s.distinct(), s.generated(), frontier, s.generatedPerSecond(), s.seconds());
    }

    /** "Deliver 1,234, Tick 56, ..." in the order the model first offered each kind. */
    public static String actionLine(ExplorationResult r) {
        StringBuilder b = new StringBuilder();
        r.actions().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%,d", v)));
        return b.length() == 0 ? "(none)" : b.toString();
    }

    public void header(String model, String bounds) {
        out.println("== " + model + ": " + bounds);
        out.flush();
    }

    public void result(ExplorationResult r) {
        ExplorationStats s = r.stats();
        out.printf(Locale.ROOT, "  states generated : %,d%n", s.generated());
        out.printf(Locale.ROOT, "  distinct states  : %,d%n", s.distinct());
        out.printf(Locale.ROOT, "  max depth        : %d%n", s.maxDepth());
        out.printf(Locale.ROOT, "  states/s         : %,.0f generated/s (%,.0f distinct/s)%n",
                s.generatedPerSecond(), s.distinctPerSecond());
        out.printf(Locale.ROOT, "  elapsed          : %.2f s%n", s.seconds());
        String search = r.counterexample() != null ? "stopped at the first violation"
                : r.exhaustive() ? "exhaustive (every reachable state within the bounds)"
                : r.depthBounded() ? "bounded by --depth " + s.maxDepth() + " (not exhaustive)"
                : "stopped at the distinct-state cap (not exhaustive)";
        out.println("  search           : " + search);
        out.printf(Locale.ROOT, "  bound-pruned     : %,d states outside the bounds (checked, not expanded)%n", r.pruned());
        out.println("  actions fired    : " + actionLine(r));
        for (ExplorationResult.BehaviourResult b : r.behaviours()) {
            out.printf(Locale.ROOT, "  %-28s %s%n", "reached " + b.name(),
                    b.steps() == 0 ? "NEVER REACHED (the bounds are too tight to cover it)" : String.format(Locale.ROOT, "%,d steps", b.steps()));
        }
        for (ExplorationResult.InvariantResult i : r.invariants()) {
            String verdict = !i.holds() ? "VIOLATED"
                    : r.counterexample() != null ? "not violated before the search stopped"
                    : String.format(Locale.ROOT, "holds (checked on %,d %s)", i.checkedStates(),
                            i.ofSteps() ? "steps" : "states");
            out.printf("  %-28s %s%n", i.name(), verdict);
        }
        if (r.passed() && !r.unreached().isEmpty()) {
            out.println("  FAILED: required behaviour(s) never reached: " + String.join(", ", r.unreached()));
        }
        if (r.counterexample() != null) {
            out.println();
            out.print(r.counterexample().render());
        }
        out.flush();
    }
}
