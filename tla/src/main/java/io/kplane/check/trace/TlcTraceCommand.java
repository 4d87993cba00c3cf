package io.kplane.check.trace;

import io.kplane.check.tlc.TlcOutcome;
import io.kplane.check.tlc.TlcProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kplane check --tlc trace FILE...}: trace validation by TLC. Each run of the trace (one seed of a
 * simulation file; or the member files of a real cluster, merged by their stamps) becomes a TLA+ module
 * ({@link TlaTraceModule}) that TLC replays with {@code tla/TraceRaft.tla}, as etcd-io/raft validates its traces.
 * A run is explained when TLC's search reaches the state after its last line (search depth = lines + 1) without
 * violating ElectionSafety, LogMatching or StateMachineSafety; otherwise the first line no reachable spec state
 * explains is printed.
 */
public final class TlcTraceCommand {

    private final PrintStream out;
    private final Map<String, String> env;
    private final boolean quiet;

    public TlcTraceCommand(PrintStream out, Map<String, String> env, boolean quiet) {
        this.out = out;
        this.env = env;
        this.quiet = quiet;
    }

    /** The outcome of one run's validation. */
    public record RunResult(String run, int lines, TlcOutcome tlc, TraceLine unexplained, String skipped) {
        public boolean ok() {
            return skipped == null && tlc.passed() && tlc.depth() == lines + 1;
        }
    }

    public int run(List<Path> files) throws Exception {
        if (files.isEmpty()) {
            out.println("usage: kplane check --tlc trace FILE [FILE...]   (NDJSON from --trace-out)");
            return 2;
        }
        List<RunResult> results = validate(files, io.kplane.check.CheckCommand.tlaDirectory());
        long validated = results.stream().filter(RunResult::ok).count();
        long skipped = results.stream().filter(r -> r.skipped() != null).count();
        out.printf(Locale.ROOT, "  result     : %d run(s) explained, %d failed, %d skipped%n", validated,
                results.size() - validated - skipped, skipped);
        return validated > 0 && validated + skipped == results.size() ? 0 : 1;
    }

    /** Validates every run in {@code files} with the specs of {@code tlaDir}. */
    public List<RunResult> validate(List<Path> files, Path tlaDir) throws Exception {
        Map<String, List<TraceLine>> runs = runs(files);
        out.println("== TLC trace validation: " + files + (files.size() > 1 ? " (merged by ts)" : "") + ", "
                + runs.size() + " run(s)");
        TlcProcess tlc = new TlcProcess(env, "2g", 1, null);
        List<RunResult> results = new ArrayList<>();
        for (Map.Entry<String, List<TraceLine>> r : runs.entrySet()) {
            RunResult res = validateRun(tlc, tlaDir, r.getKey(), r.getValue());
            results.add(res);
            TlcOutcome o = res.tlc();
            if (res.skipped() != null) {
                out.printf(Locale.ROOT, "  %-10s SKIPPED: %s%n", r.getKey(), res.skipped());
            } else if (res.ok()) {
                out.printf(Locale.ROOT, "  %-10s OK: %,d lines explained (%s)%n", r.getKey(), res.lines(), o.figures());
            } else {
                out.printf(Locale.ROOT, "  %-10s NOT EXPLAINED (%s)%n", r.getKey(), o.figures());
                if (o.violated() != null || o.error() != null) {
                    out.println("    TLC: " + (o.error() != null ? o.error() : o.violated()));
                    if (true) {
                        o.output().stream().skip(Math.max(0, o.output().size() - 400)).forEach(l -> out.println("    | " + l));
                    }
                }
                if (res.unexplained() != null) {
                    out.println("    first line no spec state explains: " + res.unexplained().where()
                            + " (line " + res.unexplained().position() + " of the run)");
                    out.println("    " + res.unexplained().text());
                }
            }
            out.flush();
        }
        return results;
    }

    static RunResult validateRun(TlcProcess tlc, Path tlaDir, String name, List<TraceLine> lines) throws Exception {
        TlaTraceModule module = new TlaTraceModule(lines);
        if (!module.outsiders().isEmpty()) {
            return new RunResult(name, lines.size(), null, null, "nodes " + module.outsiders()
                    + " outside the initial configuration " + module.servers() + " (a membership change: not in Raft.tla)");
        }
        TraceLine changed = module.votersChanged();
        if (changed != null) {
            return new RunResult(name, lines.size(), null, null, "voters " + changed.json().get("voters") + " at "
                    + changed.where() + " differ from the initial configuration " + module.servers()
                    + " (a membership change: not in Raft.tla)");
        }
        Path dir = Files.createTempDirectory("kplane-trace-tlc");
        try {
            Files.copy(tlaDir.resolve("Raft.tla"), dir.resolve("Raft.tla"));
            Files.copy(tlaDir.resolve("TraceRaft.tla"), dir.resolve("TraceRaft.tla"));
            Files.writeString(dir.resolve("TraceRun.tla"), module.module("TraceRun"));
            Files.writeString(dir.resolve("TraceRun.cfg"), module.config());
            TlcOutcome o = tlc.tlc(dir, "TraceRun", "TraceRun.cfg", false, List.of());
            TraceLine unexplained = null;
            if (o.passed() && o.depth() >= 1 && o.depth() <= lines.size()) {
                unexplained = lines.get(o.depth() - 1);
            }
            return new RunResult(name, lines.size(), o, unexplained, null);
        } finally {
            if (System.getenv("KPLANE_KEEP_TRACE_MODULES") == null) {
                TlcProcess.deleteTree(dir);
            } else {
                System.err.println("kept " + dir + " (KPLANE_KEEP_TRACE_MODULES)");
            }
        }
    }

    /** The runs of a trace: by "seed" for a simulation file, else the whole (merged) trace. */
    static Map<String, List<TraceLine>> runs(List<Path> files) throws IOException {
        Map<String, List<TraceLine>> runs = new LinkedHashMap<>();
        new TraceReader(files).forEach(l -> {
            String run = l.json().has("seed") ? "seed " + l.json().get("seed").asText() : "trace";
            List<TraceLine> r = runs.computeIfAbsent(run, k -> new ArrayList<>());
            r.add(new TraceLine(r.size() + 1, l.file(), l.lineNo(), l.ts(), l.json(), l.text()));
        });
        return runs;
    }
}
