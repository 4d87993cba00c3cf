package io.kplane.bench;

import java.io.PrintStream;

/**
 * A one-line progress display on stderr: phase, bar, elapsed/total and a live figure. On a
 * terminal it redraws in place; otherwise (CI logs, pipes) it prints a line every few seconds.
 */
public final class ProgressBar {

    private static final int WIDTH = 24;
    private static final long PLAIN_EVERY_NS = 5_000_000_000L;

    private final PrintStream out;
    private final String label;
    private final boolean interactive;
    private long lastPlainNs = Long.MIN_VALUE / 2;
    private int lastLength;

    public ProgressBar(PrintStream out, String label) {
        this(out, label, System.console() != null);
    }

    public ProgressBar(PrintStream out, String label, boolean interactive) {
        this.out = out;
        this.label = label;
        this.interactive = interactive;
    }

    /** Shows progress {@code elapsedSec} of {@code totalSec} in {@code phase}, with a live figure. */
    public void update(String phase, double elapsedSec, double totalSec, String live) {
        double f = totalSec <= 0 ? 1 : Math.max(0, Math.min(1, elapsedSec / totalSec));
        int filled = (int) Math.round(f * WIDTH);
        String line = String.format("  %s %-8s [%s%s] %3.0fs/%.0fs  %s", label, phase, "#".repeat(filled),
                ".".repeat(WIDTH - filled), elapsedSec, totalSec, live);
        if (interactive) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
        } else {
            long now = System.nanoTime();
            if (now - lastPlainNs >= PLAIN_EVERY_NS) {
                out.println(line);
                lastPlainNs = now;
            }
        }
    }

    /** Ends the display with a final line. */
    public void finish(String summary) {
        if (interactive) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
        }
        out.println("  " + label + " " + summary);
        out.flush();
    }
}
