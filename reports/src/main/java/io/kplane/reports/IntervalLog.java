package io.kplane.reports;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * An HdrHistogram interval log ({@code .hlog}) read back: the interval histograms in order and
 * their sum. Values are whatever the writer recorded (the load rig: nanoseconds).
 */
public record IntervalLog(List<Interval> intervals, Histogram total) {

    /** One interval: seconds since the log's first interval, its length, and its histogram. */
    public record Interval(double startSec, double lengthSec, Histogram histogram) {

        /** Requests per second completed in this interval. */
        public double rate() {
            return lengthSec <= 0 ? 0 : histogram.getTotalCount() / lengthSec;
        }
    }

    public static IntervalLog read(Path file) {
        List<Interval> out = new ArrayList<>();
        Histogram total = new Histogram(3);
        try {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            double first = Double.NaN;
            for (EncodableHistogram e; (e = reader.nextIntervalHistogram()) != null; ) {
                if (!(e instanceof Histogram h)) {
                    continue; // the rig writes integer histograms only
                }
                double start = h.getStartTimeStamp() / 1e3;
                double end = h.getEndTimeStamp() / 1e3;
                if (Double.isNaN(first)) {
                    first = start;
                }
                out.add(new Interval(start - first, end - start, h));
                total.add(h);
            }
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        return new IntervalLog(List.copyOf(out), total);
    }

    /** Relative standard deviation of a per-interval statistic over full intervals, or {@code null}. */
    public Double spread(java.util.function.ToDoubleFunction<Interval> stat) {
        List<Double> xs = new ArrayList<>();
        for (Interval i : intervals) {
            if (i.histogram().getTotalCount() > 0) {
                xs.add(stat.applyAsDouble(i));
            }
        }
        if (xs.size() < 2) {
            return null;
        }
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (mean == 0) {
            return null;
        }
        double var = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (xs.size() - 1);
        return Math.sqrt(var) / mean;
    }
}
