package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.Report;
import io.kplane.reports.RunFiles;
import io.kplane.reports.RunSummary;
import io.kplane.reports.SummaryTable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Finishes a run: {@code summary.json}, the HTML and Markdown report, the table on the terminal. */
final class RunOutput {

    private RunOutput() {}

    static RunSummary finish(Path dir, String kind, String command, Instant started, boolean quick,
                             List<AreaResult> areas, PrintStream out) {
        double secs = (System.currentTimeMillis() - started.toEpochMilli()) / 1e3;
        RunSummary summary = new RunSummary(RunSummary.SCHEMA, kind, command, started.toString(), secs, quick, areas);
        RunFiles.writeSummary(dir, summary);
        Path html = Report.write(dir);
        out.println();
        out.print(SummaryTable.text(summary, RunFiles.readEnv(dir)));
        out.println();
        StringBuilder times = new StringBuilder();
        for (AreaResult a : areas) {
            if (a.seconds() > 0) {
                times.append(times.length() == 0 ? "" : ", ").append(String.format("%s %.0f s", a.area(), a.seconds()));
            }
        }
        out.printf("run took %.0f s (%s); results in %s%n", secs, times, dir);
        if (quick && "suite".equals(kind) && secs > 600) {
            out.println("warning: the quick suite took more than its 10-minute budget; the slowest areas are above");
        }
        out.println("report: " + html);
        return summary;
    }

    /** Exit code of a run: 1 when an area failed, else 0 (skipped areas are not failures). */
    static int exitCode(RunSummary s) {
        return s.areas().stream().anyMatch(a -> a.status() == AreaResult.Status.FAILED) ? 1 : 0;
    }
}
