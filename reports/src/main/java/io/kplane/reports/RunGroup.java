package io.kplane.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One side of a comparison: a run, or repeated runs of the same configuration. With repeats, each
 * metric is their median and its noise is at least their spread (relative standard deviation), so
 * that a change must stand out from run-to-run variation, not only from the variation within a run.
 *
 * @param name what to call it in the output (the directory name, or "name (+N repeats)")
 * @param runs the runs, at least one
 */
public record RunGroup(String name, List<RunData> runs) {

    public RunGroup {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a run group needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    public static RunGroup of(List<RunData> runs) {
        String first = runs.get(0).dir().getFileName().toString();
        return new RunGroup(runs.size() == 1 ? first : first + " (+" + (runs.size() - 1) + " repeats)", runs);
    }

    public RunData first() {
        return runs.get(0);
    }

    /** The metrics of the group: per key, the median value and the larger of within-run and between-run noise. */
    public Map<String, Comparison.Metric> metrics() {
        if (runs.size() == 1) {
            return Comparison.metrics(first());
        }
        Map<String, List<Comparison.Metric>> byKey = new LinkedHashMap<>();
        for (RunData r : runs) {
            Comparison.metrics(r).forEach((k, m) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(m));
        }
        Map<String, Comparison.Metric> out = new LinkedHashMap<>();
        byKey.forEach((k, ms) -> {
            double[] values = ms.stream().mapToDouble(Comparison.Metric::value).sorted().toArray();
            double median = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
            Double within = median(ms.stream().map(Comparison.Metric::noise).filter(n -> n != null)
                    .mapToDouble(Double::doubleValue).sorted().toArray());
            Double between = relativeStdev(values);
            Double noise = within == null ? between : between == null ? within : Math.max(within, between);
            Comparison.Metric m0 = ms.get(0);
            out.put(k, new Comparison.Metric(k, m0.label(), median, m0.unit(), m0.higherIsBetter(), noise));
        });
        return out;
    }

    private static Double median(double[] sorted) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static Double relativeStdev(double[] xs) {
        if (xs.length < 2) {
            return null;
        }
        double mean = java.util.Arrays.stream(xs).average().orElse(0);
        if (mean == 0) {
            return null;
        }
        double var = java.util.Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum() / (xs.length - 1);
        return Math.sqrt(var) / Math.abs(mean);
    }
}
