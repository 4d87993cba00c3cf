package io.kplane.check.trace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code kplane check trace FILE...}: checks a trace and prints the result (exit 0 ok, 1 violation, 2 usage). */
public final class TraceCommand {

    private final PrintStream out;

    public TraceCommand(PrintStream out) {
        this.out = out;
    }

    public int run(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            out.println("usage: kplane check trace FILE [FILE...]   (NDJSON from --trace-out)");
            return 2;
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                out.println("kplane check trace: no such file: " + f);
                return 2;
            }
        }
        out.println("== trace: " + files + (files.size() > 1 ? " (merged by ts)" : ""));
        TraceResult r = TraceChecker.check(files);
        out.printf(Locale.ROOT, "  lines            : %,d in %d run(s), %d node(s) over all runs, %,d elections, max commit index %,d%n",
                r.lines(), r.runs(), r.nodes(), r.leaders(), r.maxCommit());
        StringBuilder ev = new StringBuilder();
        for (Map.Entry<String, Long> e : r.events().entrySet()) {
            ev.append(ev.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        out.println("  events           : " + ev);
        out.printf(Locale.ROOT, "  elapsed          : %.2f s (%,.0f lines/s)%n", r.seconds(), r.lines() / Math.max(r.seconds(), 1e-9));
        if (r.tornLines() > 0) {
            out.println("  torn last lines  : " + r.tornLines() + " (a writer was killed mid-line; skipped)");
        }
        out.println("  checked          : per-node term/role/commit transitions, (pre-)vote quorums, ElectionSafety, one vote per");
        out.println("                     term, receive <= sent + duplicated, messages vs. sender state, AppendEntries log check,");
        out.println("                     leader/follower commit rules, StateMachineSafety, log lengths (see tla/README.md)");
        out.println("  not checked      : this is not TLC's state-space replay of TraceRaft.tla; snapshot contents,");
        out.println("                     membership changes and read-index/lease logic are outside Raft.tla");
        if (r.ok()) {
            out.println("  result           : OK, every line is explained by a spec rule");
            return 0;
        }
        TraceViolation v = r.violation();
        out.println("  result           : VIOLATION at " + v);
        out.println("  line             : " + v.line().text());
        return 1;
    }
}
