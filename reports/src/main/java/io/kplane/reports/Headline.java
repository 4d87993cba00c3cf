package io.kplane.reports;

/**
 * One figure on the report's front page: what an area achieved, next to the project's goal for it
 * and the peer measured in the same run.
 *
 * <p>{@code ratio} is always {@code value / anchor.value}; whether that is good depends on
 * {@code higherIsBetter} (throughput: yes; latency, duration, bytes: no), and it is only called
 * better or worse when the anchor is a peer measured in the same run ({@link Anchor.Kind#PEER}). A
 * published anchor ({@link Anchor.Kind#PUBLISHED}) is shown as context. {@code noise} is the
 * relative spread of the measurement itself (e.g. 0.05 = ±5%), used by {@code report compare} to
 * tell a change from noise; {@code null} when unknown.
 *
 * @param area           the bench area, e.g. "store"
 * @param metric         what is measured, e.g. "put throughput, 3 members, fsync"
 * @param value          the measured value, in {@code unit}
 * @param unit           e.g. "ops/s", "ms"
 * @param higherIsBetter direction of goodness
 * @param anchor         the peer (or published figure) it is compared with, or {@code null}
 * @param ratio          value / anchor.value, or {@code null} without an anchor
 * @param noise          relative noise of the measurement, or {@code null}
 * @param note           anything the reader must know (durability mode, machine caveats), or {@code null}
 * @param goal           the project's goal for this figure ({@link Anchor.Kind#GOAL}), or {@code null}
 */
public record Headline(String area, String metric, double value, String unit, boolean higherIsBetter,
                       Anchor anchor, Double ratio, Double noise, String note, Anchor goal) {

    /** A measured figure with no anchor yet. */
    public static Headline of(String area, String metric, double value, String unit, boolean higherIsBetter) {
        return new Headline(area, metric, value, unit, higherIsBetter, null, null, null, null, null);
    }

    /**
     * This figure compared with {@code a}: a goal ({@link Anchors#goal}) becomes {@link #goal}, anything
     * else the anchor, whose ratio is computed here.
     */
    public Headline against(Anchor a) {
        if (a != null && a.kind() == Anchor.Kind.GOAL) {
            return withGoal(a);
        }
        Double r = a == null || a.value() == 0 ? null : value / a.value();
        return new Headline(area, metric, value, unit, higherIsBetter, a, r, noise, note, goal);
    }

    public Headline withGoal(Anchor g) {
        return new Headline(area, metric, value, unit, higherIsBetter, anchor, ratio, noise, note, g);
    }

    public Headline withNoise(double relativeNoise) {
        return new Headline(area, metric, value, unit, higherIsBetter, anchor, ratio, relativeNoise, note, goal);
    }

    public Headline withNote(String text) {
        return new Headline(area, metric, value, unit, higherIsBetter, anchor, ratio, noise, text, goal);
    }

    /** The anchor when it is a peer measured in the same run, else {@code null}. */
    public Anchor peer() {
        return anchor != null && anchor.kind() == Anchor.Kind.PEER ? anchor : null;
    }

    /** The anchor when it is a figure published elsewhere (context only), else {@code null}. */
    public Anchor published() {
        return anchor != null && anchor.kind() == Anchor.Kind.PUBLISHED ? anchor : null;
    }

    /** True when the figure beats the peer measured in the same run; {@code null} without such a peer. */
    public Boolean beatsPeer() {
        if (peer() == null || ratio == null) {
            return null;
        }
        return higherIsBetter ? ratio >= 1.0 : ratio <= 1.0;
    }

    /** value / goal.value, or {@code null} without a goal. */
    public Double goalRatio() {
        return goal == null || goal.value() == 0 ? null : value / goal.value();
    }

    /** True when the figure meets the project's goal; {@code null} without a goal. */
    public Boolean meetsGoal() {
        Double r = goalRatio();
        if (r == null) {
            return null;
        }
        return higherIsBetter ? r >= 1.0 : r <= 1.0;
    }
}
