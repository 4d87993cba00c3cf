package io.kplane.check.tlc;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one TLC run reported, read from its output.
 *
 * @param exitCode   the TLC process's exit code (0: no error; 12: safety violation; 13: liveness; ...)
 * @param completed  TLC said "Model checking completed. No error has been found."
 * @param violated   the invariant or action property TLC reported violated, "temporal" for a
 *                   violated temporal property, "deadlock" for a deadlock, or null
 * @param error      the first "Error: ..." line, or null
 * @param generated  states generated (-1 if TLC did not report it)
 * @param distinct   distinct states found (-1 if not reported)
 * @param depth      depth of the complete state graph search (-1 if not reported)
 * @param seconds    wall time of the child process
 * @param output     every line TLC printed
 */
public record TlcOutcome(int exitCode, boolean completed, String violated, String error, long generated,
                         long distinct, int depth, double seconds, List<String> output) {

    private static final Pattern STATES = Pattern.compile(
            "^([\\d,]+) states generated, ([\\d,]+) distinct states found, ([\\d,]+) states left on queue\\.");
    private static final Pattern DEPTH = Pattern.compile("^The depth of the complete state graph search is (\\d+)\\.");
    private static final Pattern INVARIANT = Pattern.compile("^Error: (?:Invariant|Action property) (\\w+) is violated");

    /** Reads TLC's output. */
    public static TlcOutcome parse(int exitCode, List<String> lines, double seconds) {
        boolean completed = false;
        String violated = null;
        String error = null;
        long generated = -1;
        long distinct = -1;
        int depth = -1;
        for (String line : lines) {
            Matcher m;
            if (line.startsWith("Model checking completed. No error has been found.")) {
                completed = true;
            } else if ((m = INVARIANT.matcher(line)).find()) {
                violated = m.group(1);
            } else if (line.startsWith("Error: Temporal properties were violated")) {
                violated = "temporal";
            } else if (line.startsWith("Error: Deadlock reached")) {
                violated = "deadlock";
            } else if ((m = STATES.matcher(line)).find()) {
                generated = Long.parseLong(m.group(1).replace(",", ""));
                distinct = Long.parseLong(m.group(2).replace(",", ""));
            } else if ((m = DEPTH.matcher(line)).find()) {
                depth = Integer.parseInt(m.group(1));
            }
            if (error == null && line.startsWith("Error:")) {
                error = line;
            }
        }
        return new TlcOutcome(exitCode, completed, violated, error, generated, distinct, depth, seconds, List.copyOf(lines));
    }

    /** No error, and TLC said so. */
    public boolean passed() {
        return exitCode == 0 && completed && violated == null && error == null;
    }

    /** TLC reported exactly the named invariant (or property) violated, and nothing else went wrong first. */
    public boolean violates(String name) {
        return name.equals(violated) && exitCode != 0;
    }

    /** One line for reports: states, depth, time. */
    public String figures() {
        return String.format(Locale.ROOT, "%,d generated, %,d distinct, depth %d, %.1f s", generated, distinct, depth, seconds);
    }

    /** The output, for failure messages. */
    public String text() {
        return String.join("\n", output);
    }
}
