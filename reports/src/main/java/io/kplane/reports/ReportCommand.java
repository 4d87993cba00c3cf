package io.kplane.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kplane report RUN_DIR}: (re)writes a run's {@code index.html} and {@code summary.md}. */
@Command(name = "report", mixinStandardHelpOptions = true, subcommands = CompareCommand.class,
        description = {"HTML/Markdown report of a run; `report compare A B` compares runs.",
                "Writes RUN_DIR/index.html (self-contained: opens offline) and RUN_DIR/summary.md from a run",
                "directory (summary.json, .hlog interval logs, JMH JSON, env.json), and prints its front page.",
                "`kplane report compare A B [C...]` compares runs."})
public final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "A run directory, e.g. reports/out/20261126-010203")
    Path runDir;

    @Override
    public Integer call() {
        if (runDir == null) {
            spec.commandLine().usage(System.err);
            return 2;
        }
        if (!Files.isRegularFile(runDir.resolve(RunFiles.SUMMARY))) {
            System.err.println("kplane report: " + runDir + " is not a run directory (no " + RunFiles.SUMMARY + ")");
            return 2;
        }
        Path html = Report.write(runDir);
        RunData data = RunData.read(runDir);
        System.out.print(SummaryTable.text(data.summary(), data.env()));
        System.out.println();
        System.out.println("report: " + html.toAbsolutePath());
        System.out.println("summary: " + runDir.resolve(RunFiles.MARKDOWN).toAbsolutePath());
        return 0;
    }
}
