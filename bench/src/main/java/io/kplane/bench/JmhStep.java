package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.Headline;
import io.kplane.reports.JmhResults;
import io.kplane.reports.JmhScore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs JMH as one area ("jmh") of a run: the results become an {@link AreaResult}. */
final class JmhStep {

    static final String AREA = "jmh";

    private JmhStep() {}

    /** Runs the given benchmarks (all when {@code includes} is empty). */
    static AreaResult run(Path dir, String name, List<String> includes, JmhSettings settings, List<String> extraArgs,
                          PrintStream log) {
        long t0 = System.nanoTime();
        String title = "JMH micro-benchmarks (" + settings.forks() + " fork(s), " + settings.warmupIterations() + "x"
                + settings.warmupTime() + " warm-up, " + settings.iterations() + "x" + settings.iterationTime() + ")";
        log.println("== jmh: " + title);
        try {
            Optional<Path> json = JmhRun.run(dir, name, includes, settings, extraArgs, log);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (json.isEmpty()) {
                return new AreaResult(AREA, title, AreaResult.Status.FAILED, "JMH failed; see jmh-" + name + ".log",
                        List.of(), List.of(), List.of(), List.of(), secs);
            }
            return summarize(dir, json.get(), title, secs);
        } catch (Exception e) {
            return new AreaResult(AREA, title, AreaResult.Status.FAILED, e.toString(), List.of(), List.of(), List.of(),
                    List.of(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The suite's smoke set: every benchmark with smoke settings if that fits in {@code budgetSec};
     * otherwise the areas' declared smoke regexes ({@link BenchArea#jmhSmoke()}) and then whole
     * benchmarks while they fit.
     */
    static AreaResult smoke(Path dir, List<BenchArea> areas, double budgetSec, PrintStream log) {
        JmhSettings s = JmhSettings.smoke();
        java.util.Map<String, Integer> all;
        try {
            all = JmhRun.listWithParameterCombinations(List.of());
        } catch (Exception e) {
            return AreaResult.skipped(AREA, "JMH smoke set", "cannot list JMH benchmarks: " + e.getMessage());
        }
        if (all.isEmpty()) {
            return AreaResult.skipped(AREA, "JMH smoke set", "no JMH benchmarks in benchmarks.jar");
        }
        int runs = all.values().stream().mapToInt(Integer::intValue).sum();
        List<String> includes = new ArrayList<>();
        String note;
        if (runs * s.secondsPerBenchmark() <= budgetSec) {
            note = "smoke set: all " + all.size() + " benchmarks (" + runs + " parameter combinations)";
        } else {
            // Too many for the budget: the areas' declared smoke regexes, then whole benchmarks in
            // list order while they fit. Whatever is left out is named in the report.
            Set<String> declared = new LinkedHashSet<>();
            areas.forEach(a -> declared.addAll(a.jmhSmoke()));
            java.util.Map<String, Integer> chosen = new java.util.LinkedHashMap<>();
            if (!declared.isEmpty()) {
                try {
                    chosen.putAll(JmhRun.listWithParameterCombinations(new ArrayList<>(declared)));
                } catch (Exception e) {
                    log.println("  jmh: cannot resolve declared smoke regexes: " + e.getMessage());
                }
            }
            double used = chosen.values().stream().mapToInt(Integer::intValue).sum() * s.secondsPerBenchmark();
            for (java.util.Map.Entry<String, Integer> e : all.entrySet()) {
                double cost = e.getValue() * s.secondsPerBenchmark();
                if (!chosen.containsKey(e.getKey()) && used + cost <= budgetSec) {
                    chosen.put(e.getKey(), e.getValue());
                    used += cost;
                }
            }
            if (chosen.isEmpty()) {
                return AreaResult.skipped(AREA, "JMH smoke set", "no benchmark fits the " + Math.round(budgetSec)
                        + " s budget; run `./kplane bench jmh --quick`");
            }
            chosen.keySet().forEach(n -> includes.add("^" + java.util.regex.Pattern.quote(n) + "$"));
            List<String> left = all.keySet().stream().filter(n -> !chosen.containsKey(n)).toList();
            note = "smoke set: " + chosen.size() + " of " + all.size() + " benchmarks (all " + runs
                    + " parameter combinations would take ~" + Math.round(runs * s.secondsPerBenchmark())
                    + " s, over the " + Math.round(budgetSec) + " s budget); left out: " + left;
        }
        log.println("  " + note);
        AreaResult r = run(dir, "smoke", includes, s, List.of(), log);
        List<String> notes = new ArrayList<>(r.notes());
        notes.add(note);
        notes.add("smoke settings show that the benchmarks run and give a first figure; for errors under 10% run "
                + "`./kplane bench jmh REGEX` (3 forks x 5 iterations)");
        return new AreaResult(r.area(), r.title(), r.status(), r.message(), r.headlines(), r.workloads(), r.jmhFiles(),
                notes, r.seconds());
    }

    private static AreaResult summarize(Path dir, Path json, String title, double secs) {
        List<JmhScore> scores = JmhResults.read(json);
        double[] errs = scores.stream().map(JmhScore::relativeError).filter(e -> e != null)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        List<Headline> heads = new ArrayList<>();
        heads.add(Headline.of(AREA, "benchmarks measured", scores.size(), "results", true));
        if (errs.length > 0) {
            double median = errs[errs.length / 2] * 100;
            long over10 = java.util.Arrays.stream(errs).filter(e -> e > 0.10).count();
            heads.add(Headline.of(AREA, "median JMH error (99.9% CI half-width)", median, "%", false)
                    .withNote(over10 + " of " + errs.length + " results have an error above 10%"));
        }
        String msg = scores.size() + " JMH results";
        return new AreaResult(AREA, title, AreaResult.Status.OK, msg, heads, List.of(),
                List.of(dir.relativize(json).toString()), List.of(), secs);
    }
}
