package io.kplane.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kplane report compare A B [C...] [--fail-on 10%]}: ratios and verdicts against run A. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares runs B, C... with baseline run A, metric by metric: ratio and verdict (better / worse /",
                "within noise), where noise is what the runs show: JMH's 99.9% error interval, the spread of a",
                "load-rig metric across its intervals, or an area's declared noise (5% when unknown).",
                "Writes compare.html and compare.md into --out (default: reports/out/compare-<A>-vs-<B>/).",
                "Exit code 1 when --fail-on is given and a metric is worse beyond noise and beyond that threshold."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR[,REPEAT...]", arity = "2..*",
            description = {"Baseline run first, then the runs to compare. Repeated runs of one configuration can be",
                    "joined with commas (A1,A2,A3): medians are compared and their spread counts as noise."})
    List<String> runs;

    @Option(names = "--fail-on", paramLabel = "PERCENT",
            description = "Regression threshold, e.g. 10% (a bare number is a percentage too).")
    String failOn;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write compare.html and compare.md.")
    Path out;

    @Option(names = "--all", description = "Show every metric on the terminal, not only the ones that moved.")
    boolean all;

    @Override
    public Integer call() throws IOException {
        List<RunGroup> groups = new java.util.ArrayList<>();
        for (String arg : runs) {
            List<RunData> repeats = new java.util.ArrayList<>();
            for (String part : arg.split(",")) {
                Path r = Path.of(part.trim());
                if (!Files.isRegularFile(r.resolve(RunFiles.SUMMARY))) {
                    System.err.println("kplane report compare: " + r + " is not a run directory (no " + RunFiles.SUMMARY + ")");
                    return 2;
                }
                repeats.add(RunData.read(r));
            }
            groups.add(RunGroup.of(repeats));
        }
        Double threshold = failOn == null ? null : parseThreshold(failOn);
        RunGroup base = groups.get(0);
        List<RunGroup> cands = groups.subList(1, groups.size());
        List<Comparison.Row> rows = Comparison.compare(base, cands);

        Path dir = out != null ? out : base.first().dir().toAbsolutePath().getParent().resolve("compare-"
                + base.first().dir().getFileName() + "-vs-" + cands.get(cands.size() - 1).first().dir().getFileName());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("compare.md"), CompareReport.markdown(base, cands, rows, threshold), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("compare.html"), CompareReport.html(base, cands, rows, threshold), StandardCharsets.UTF_8);

        System.out.print(CompareReport.text(base, cands, rows, threshold, all));
        System.out.println("comparison: " + dir.resolve("compare.html"));
        long regressions = rows.stream().flatMap(r -> r.cells().stream())
                .filter(c -> threshold != null && Comparison.regression(c, threshold)).count();
        if (threshold != null) {
            System.out.printf("%d regression(s) beyond noise and %.1f%%%n", regressions, threshold * 100);
            return regressions > 0 ? 1 : 0;
        }
        return 0;
    }

    static double parseThreshold(String s) {
        String t = s.trim();
        double v = Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : t);
        if (v < 0) {
            throw new IllegalArgumentException("--fail-on must not be negative: " + s);
        }
        return v / 100.0;
    }
}
