package io.kplane.bench;

import io.kplane.reports.AreaResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one area in a run directory and turns whatever happens into an {@link AreaResult}. */
final class AreaRunner {

    private AreaRunner() {}

    /** Runs the area on the calling thread, as long as it takes. */
    static AreaResult run(BenchArea area, Path dir, boolean quick, Map<String, String> params, PrintStream log) {
        RunContext ctx = new RunContext(dir, area.name(), quick, params, log);
        long t0 = System.nanoTime();
        log.printf("== %s: %s%s%n", area.name(), area.title(), quick ? " (quick)" : "");
        try {
            area.run(ctx);
            return ctx.result(area.title(), (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ctx.failed(area.title(), e, (System.nanoTime() - t0) / 1e9);
        } catch (Exception | Error e) {
            log.println("  FAILED: " + e);
            e.printStackTrace(log);
            return ctx.failed(area.title(), e, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Runs the area on its own thread and gives up waiting after {@code timeout}: the suite must
     * finish and report even if one area hangs. The abandoned area is interrupted and reported
     * FAILED with what it had recorded so far.
     */
    static AreaResult run(BenchArea area, Path dir, boolean quick, Map<String, String> params, PrintStream log,
                          Duration timeout) throws InterruptedException {
        AtomicReference<AreaResult> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(run(area, dir, quick, params, log)), "area-" + area.name());
        t.setDaemon(true);
        t.start();
        t.join(timeout.toMillis());
        if (result.get() != null) {
            return result.get();
        }
        t.interrupt();
        t.join(2_000);
        if (result.get() != null) {
            return result.get();
        }
        String msg = "did not finish within " + timeout.toSeconds() + " s; abandoned (its thread may still run)";
        log.println("  FAILED: " + area.name() + " " + msg);
        return new AreaResult(area.name(), area.title(), AreaResult.Status.FAILED, msg, null, null, null, null,
                timeout.toSeconds());
    }
}
