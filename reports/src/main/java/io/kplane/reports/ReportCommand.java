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
                "`kplane report compare A B [C...]` compares runs.",
                "`kplane report --benchmarks-md [-o FILE] [RUN_DIR]` writes BENCHMARKS.md from a run."})
public final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "A run directory, e.g. reports/out/20261126-010203")
    Path runDir;

    @CommandLine.Option(names = "--benchmarks-md",
            description = {"Write the run's measurement tables as BENCHMARKS.md (see --output) instead of the reports.",
                    "Without RUN_DIR, the newest run directory under reports/out is used."})
    boolean benchmarks;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "BENCHMARKS.md",
            description = "Where --benchmarks-md writes (default: ${DEFAULT-VALUE} in the current directory)")
    Path benchmarksMd;

    @Override
    public Integer call() {
        if (runDir == null && benchmarks) {
            runDir = newestRun(Path.of("reports", "out"));
            if (runDir == null) {
                System.err.println("kplane report: no run directory under reports/out; run `./kplane suite --quick` first");
                return 2;
            }
        }
        if (runDir == null) {
            spec.commandLine().usage(System.err);
            return 2;
        }
        if (benchmarks) {
            if (!Files.isRegularFile(runDir.resolve(RunFiles.SUMMARY))) {
                System.err.println("kplane report: " + runDir + " is not a run directory (no " + RunFiles.SUMMARY + ")");
                return 2;
            }
            Report.writeBenchmarks(runDir, benchmarksMd);
            System.out.println("benchmarks: " + benchmarksMd.toAbsolutePath() + " (from " + runDir + ")");
            return 0;
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

    /** The run directory under {@code outRoot} whose name sorts last (names start with a timestamp), or null. */
    static Path newestRun(Path outRoot) {
        if (!Files.isDirectory(outRoot)) {
            return null;
        }
        try (var dirs = Files.list(outRoot)) {
            return dirs.filter(p -> Files.isRegularFile(p.resolve(RunFiles.SUMMARY)))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + outRoot, e);
        }
    }
}
