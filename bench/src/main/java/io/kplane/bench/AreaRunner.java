package io.kplane.bench;

import io.kplane.reports.AreaResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** Runs one area in a run directory and turns whatever happens into an {@link AreaResult}. */
final class AreaRunner {

    private AreaRunner() {}

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
}
