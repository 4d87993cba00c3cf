package io.kplane.reports;

/**
 * One figure on the report's front page: what an area achieved, next to its anchor.
 *
 * <p>{@code ratio} is always {@code value / anchorValue}; whether that is good depends on
 * {@code higherIsBetter} (throughput: yes; latency, duration, bytes: no). {@code noise} is the
 * relative spread of the measurement itself (e.g. 0.05 = ±5%), used by {@code report compare} to
 * tell a change from noise; {@code null} when unknown.
 *
 * @param area           the bench area, e.g. "store"
 * @param metric         what is measured, e.g. "put throughput, 3 members, fsync"
 * @param value          the measured value, in {@code unit}
 * @param unit           e.g. "ops/s", "ms"
 * @param higherIsBetter direction of goodness
 * @param anchor         what it is compared with, or {@code null}
 * @param ratio          value / anchor.value, or {@code null} without an anchor
 * @param noise          relative noise of the measurement, or {@code null}
 * @param note           anything the reader must know (durability mode, machine caveats), or {@code null}
 */
public record Headline(String area, String metric, double value, String unit, boolean higherIsBetter,
                       Anchor anchor, Double ratio, Double noise, String note) {

    /** A measured figure with no anchor yet. */
    public static Headline of(String area, String metric, double value, String unit, boolean higherIsBetter) {
        return new Headline(area, metric, value, unit, higherIsBetter, null, null, null, null);
    }

    /** This figure compared with {@code a}; the ratio is computed here. */
    public Headline against(Anchor a) {
        Double r = a == null || a.value() == 0 ? null : value / a.value();
        return new Headline(area, metric, value, unit, higherIsBetter, a, r, noise, note);
    }

    public Headline withNoise(double relativeNoise) {
        return new Headline(area, metric, value, unit, higherIsBetter, anchor, ratio, relativeNoise, note);
    }

    public Headline withNote(String text) {
        return new Headline(area, metric, value, unit, higherIsBetter, anchor, ratio, noise, text);
    }

    /** True when the figure beats its anchor in the right direction; {@code null} without anchor. */
    public Boolean beatsAnchor() {
        if (ratio == null) {
            return null;
        }
        return higherIsBetter ? ratio >= 1.0 : ratio <= 1.0;
    }
}
