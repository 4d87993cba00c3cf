package io.kplane.reports;

import org.HdrHistogram.AbstractHistogram;

/**
 * Latency percentiles of one workload, in <b>microseconds</b>.
 *
 * <p>Recorded histograms hold nanoseconds; {@link #ofNanos} converts. Field names carry the unit
 * so that {@code summary.json} reads without a legend.
 */
public record Latency(double p50Us, double p90Us, double p99Us, double p999Us, double maxUs, double meanUs) {

    /** Percentiles of a histogram whose values are nanoseconds. */
    public static Latency ofNanos(AbstractHistogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3,
                h.getMean() / 1e3);
    }
}
