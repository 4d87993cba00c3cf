package io.kplane.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs compared with a baseline, metric by metric: ratio, and a verdict that uses the noise the
 * runs themselves show. JMH results carry their 99.9% error interval; load-rig results carry the
 * spread of the metric across their intervals; headlines carry the noise their area declared.
 * A change smaller than the combined noise ({@code sqrt(noiseA^2 + noiseB^2)}) is "within noise".
 * Repeated runs ({@link RunGroup}) add their run-to-run spread.
 */
public final class Comparison {

    /** Relative noise assumed when a run does not say how noisy a metric is. */
    public static final double DEFAULT_NOISE = 0.05;

    /** How a metric moved. */
    public enum Verdict { BETTER, WORSE, WITHIN_NOISE, MISSING }

    /** One metric measured in a run: value, direction and relative noise ({@code null} = unknown). */
    public record Metric(String key, String label, double value, String unit, boolean higherIsBetter, Double noise) {}

    /** One metric in one candidate run compared with the baseline. */
    public record Cell(Metric metric, double ratio, double improvement, double noise, boolean noiseAssumed,
                       Verdict verdict) {}

    /** A metric's row: the baseline value and one cell per candidate ({@code null} when missing there). */
    public record Row(Metric baseline, List<Cell> cells) {}

    private Comparison() {}

    /** Every comparable metric of a run, keyed so that the same measurement matches across runs. */
    public static Map<String, Metric> metrics(RunData d) {
        Map<String, Metric> m = new LinkedHashMap<>();
        for (AreaResult a : d.summary().areas()) {
            // The JMH area's headlines describe the run (how many results, how precise); its
            // scores are compared one by one below instead.
            for (Headline h : a.area().equals("jmh") ? List.<Headline>of() : a.headlines()) {
                String key = "headline:" + a.area() + ":" + h.metric();
                m.put(key, new Metric(key, a.area() + ": " + h.metric(), h.value(), h.unit(), h.higherIsBetter(), h.noise()));
            }
            for (WorkloadResult w : a.workloads()) {
                IntervalLog log = w.hlog() == null ? null : d.logs().get(w.hlog());
                String base = "load:" + w.key();
                String label = w.area() + " " + w.workload() + " [" + w.system() + "] ";
                Double thrNoise = w.throughputNoise() != null ? w.throughputNoise()
                        : log == null ? null : log.spread(IntervalLog.Interval::rate);
                m.put(base + ":throughput", new Metric(base + ":throughput", label + "throughput", w.throughput(), "ops/s",
                        true, thrNoise));
                add(m, base, label, "p50", w.latency().p50Us(), log, 50);
                add(m, base, label, "p99", w.latency().p99Us(), log, 99);
                add(m, base, label, "p99.9", w.latency().p999Us(), log, 99.9);
            }
        }
        for (Map.Entry<String, List<JmhScore>> e : d.jmh().entrySet()) {
            for (JmhScore j : e.getValue()) {
                String key = "jmh:" + j.key();
                m.put(key, new Metric(key, "jmh " + j.shortName(), j.score(), j.unit(), j.higherIsBetter(), j.relativeError()));
            }
        }
        return m;
    }

    private static void add(Map<String, Metric> m, String base, String label, String name, double valueUs,
                            IntervalLog log, double percentile) {
        Double noise = log == null ? null
                : log.spread(i -> i.histogram().getValueAtPercentile(percentile));
        m.put(base + ":" + name, new Metric(base + ":" + name, label + name, valueUs, "us", false, noise));
    }

    /** Compares each candidate with the baseline, one row per baseline metric (metrics only a candidate has are left out). */
    public static List<Row> compare(RunGroup baseline, List<RunGroup> candidates) {
        Map<String, Metric> base = baseline.metrics();
        List<Map<String, Metric>> cands = candidates.stream().map(RunGroup::metrics).toList();
        List<Row> rows = new ArrayList<>();
        for (Metric b : base.values()) {
            List<Cell> cells = new ArrayList<>();
            for (Map<String, Metric> c : cands) {
                Metric x = c.get(b.key());
                cells.add(x == null ? null : cell(b, x));
            }
            rows.add(new Row(b, cells));
        }
        return rows;
    }

    /** The verdict for one metric: candidate {@code x} against baseline {@code b}. */
    public static Cell cell(Metric b, Metric x) {
        double ratio = b.value() == 0 ? (x.value() == 0 ? 1 : Double.POSITIVE_INFINITY) : x.value() / b.value();
        double improvement;
        if (b.higherIsBetter()) {
            improvement = ratio - 1;
        } else {
            improvement = x.value() == 0 ? (b.value() == 0 ? 0 : Double.POSITIVE_INFINITY) : b.value() / x.value() - 1;
        }
        boolean assumed = b.noise() == null || x.noise() == null;
        double nb = b.noise() == null ? DEFAULT_NOISE : b.noise();
        double nx = x.noise() == null ? DEFAULT_NOISE : x.noise();
        double noise = Math.sqrt(nb * nb + nx * nx);
        Verdict v = Math.abs(improvement) <= noise ? Verdict.WITHIN_NOISE
                : improvement > 0 ? Verdict.BETTER : Verdict.WORSE;
        return new Cell(x, ratio, improvement, noise, assumed, v);
    }

    /**
     * True when the cell is a regression beyond {@code threshold} (0.10 = 10%): worse than noise
     * and more than the threshold worse. For lower-is-better metrics, "10% worse" means the
     * baseline is 10% faster ({@code base/candidate - 1 = -0.10}).
     */
    public static boolean regression(Cell c, double threshold) {
        return c != null && c.verdict() == Verdict.WORSE && -c.improvement() > threshold;
    }
}
