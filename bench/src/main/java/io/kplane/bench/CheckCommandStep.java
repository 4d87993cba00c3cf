package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.Headline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model checks in the suite when {@code kplane check} exists but registers no {@code check}
 * area: runs {@code kplane check --quiet [--max-states N]} in a child JVM (bounded: the search
 * stops at the state cap; killed after the timeout), keeps its output in {@code check-output.txt},
 * and turns its summary lines (states explored, search kind, one verdict per invariant) into the
 * area's result. Exit code 0 means every invariant held; 1 means a violation (reported FAILED).
 */
final class CheckCommandStep {

    static final String AREA = SuiteCommand.CHECK_AREA;
    private static final Pattern MODEL = Pattern.compile("^== (\\S+): (.*)$");
    private static final Pattern DISTINCT = Pattern.compile("^\\s+distinct states\\s*:\\s*([\\d,]+)");
    private static final Pattern ELAPSED = Pattern.compile("^\\s+elapsed\\s*:\\s*([\\d.]+) s");
    private static final Pattern SEARCH = Pattern.compile("^\\s+search\\s*:\\s*(.*)$");
    private static final Pattern INVARIANT = Pattern.compile("^\\s+([A-Z]\\w+)\\s+(holds.*|VIOLATED.*|not violated.*)$");

    private CheckCommandStep() {}

    static AreaResult run(Path dir, boolean quick, Duration timeout, PrintStream log) {
        // Quick: the implementation explorer only, capped per model; TLC's full models (MCRaft alone
        // takes minutes on two cores) would not fit the quick run's few minutes.
        String title = quick ? "model checks (`kplane check --no-tlc`: the explorer, bounded to 400,000 distinct states per"
                + " model; TLC on the specs: `kplane check --tlc all` or the full suite)" : "model checks (`kplane check`: the"
                + " explorer, then TLC on every model)";
        log.println("== check: " + title);
        long t0 = System.nanoTime();
        Path output = dir.resolve("check-output.txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(JmhRun.javaExecutable());
        cmd.addAll(JmhRun.jvmFlags());
        cmd.add("-Dkplane.home=" + RunDirectory.home());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kplane.cli.Main", "check", "--quiet"));
        if (quick) {
            cmd.addAll(List.of("--max-states", "400000", "--no-tlc"));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            AreaResult r = parse(lines, title, secs, finished ? p.exitValue() : -1, timeout);
            log.println("  " + r.status() + ": " + r.message() + " (output in " + output.getFileName() + ")");
            return r;
        } catch (IOException e) {
            return new AreaResult(AREA, title, AreaResult.Status.FAILED, "cannot run `kplane check`: " + e.getMessage(),
                    null, null, null, null, (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AreaResult(AREA, title, AreaResult.Status.FAILED, "interrupted", null, null, null, null,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The result of a {@code kplane check} run from its output and exit code (-1: killed after the timeout). */
    static AreaResult parse(List<String> lines, String title, double secs, int exit, Duration timeout) {
        List<Headline> heads = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String model = null;
        double distinct = -1;
        double elapsed = 0;
        String search = "";
        int holds = 0;
        List<String> violated = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if ((m = MODEL.matcher(line)).find()) {
                model = m.group(1);
                notes.add(model + ": " + m.group(2));
            } else if ((m = DISTINCT.matcher(line)).find()) {
                distinct = Double.parseDouble(m.group(1).replace(",", ""));
            } else if ((m = ELAPSED.matcher(line)).find()) {
                elapsed = Double.parseDouble(m.group(1));
            } else if ((m = SEARCH.matcher(line)).find()) {
                search = m.group(1).trim();
                if (model != null && distinct >= 0) {
                    heads.add(Headline.of(AREA, model + ": distinct states explored", distinct, "states", true)
                            .withNote(search + String.format(", %.1f s", elapsed)));
                }
            } else if ((m = INVARIANT.matcher(line)).find()) {
                notes.add((model == null ? "" : model + ": ") + m.group(1) + " " + m.group(2));
                if (m.group(2).startsWith("VIOLATED")) {
                    violated.add(m.group(1));
                } else {
                    holds++;
                }
            }
        }
        notes.add("full output: check-output.txt");
        AreaResult.Status status;
        String message;
        if (exit == -1) {
            status = AreaResult.Status.FAILED;
            message = "did not finish within " + timeout.toSeconds() + " s (killed)";
        } else if (exit == 0 && violated.isEmpty() && holds > 0) {
            status = AreaResult.Status.OK;
            message = "no violation: " + holds + (holds == 1 ? " invariant holds" : " invariant verdicts, all hold");
        } else if (!violated.isEmpty()) {
            status = AreaResult.Status.FAILED;
            message = "invariant VIOLATED: " + String.join(", ", violated) + " (counterexample in check-output.txt)";
        } else {
            status = AreaResult.Status.FAILED;
            String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
            message = "`kplane check` exited with " + exit + ": " + last;
        }
        return new AreaResult(AREA, title, status, message, heads, null, null, notes, secs);
    }
}
