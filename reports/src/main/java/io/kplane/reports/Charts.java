package io.kplane.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart and embedded as PNG data URIs so that the HTML
 * needs no other file.
 */
final class Charts {

    static final int WIDTH = 640;
    static final int HEIGHT = 360;

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Latency by percentile on a logarithmic "nines" axis, one line per system (values in the
     * histograms are nanoseconds), as HdrHistogram's plotter draws it.
     */
    static JFreeChart percentiles(String title, Map<String, Histogram> bySystem) {
        double maxNs = bySystem.values().stream().mapToDouble(Histogram::getMaxValue).max().orElse(1);
        double scale = maxNs >= 10_000_000 ? 1e6 : 1e3;
        String unit = scale == 1e6 ? "ms" : "us";
        XYSeriesCollection data = new XYSeriesCollection();
        double maxPos = 10;
        for (Map.Entry<String, Histogram> e : bySystem.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            Histogram h = e.getValue();
            if (h.getTotalCount() == 0) {
                continue;
            }
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo();
                if (p >= 100.0) {
                    break;
                }
                double pos = NinesFormat.position(p);
                s.add(pos, v.getValueIteratedTo() / scale);
                maxPos = Math.max(maxPos, pos);
            }
            // the maximum, at the last percentile the histogram can resolve
            double lastPos = NinesFormat.position(100.0 * (1.0 - 1.0 / Math.max(2, h.getTotalCount())));
            s.add(Math.max(lastPos, maxPos), h.getMaxValue() / scale);
            maxPos = Math.max(maxPos, lastPos);
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setTickUnit(new NumberTickUnit(1.0));
        x.setNumberFormatOverride(new NinesFormat());
        x.setRange(1.0, Math.pow(10, Math.ceil(Math.log10(maxPos))));
        x.setMinorTickMarksVisible(false);
        NumberAxis y = new NumberAxis("latency (" + unit + ")");
        y.setAutoRangeIncludesZero(true);
        return chart(title, new XYPlot(data, x, y, renderer(data.getSeriesCount())));
    }

    /** Completed requests per second in each interval, one line per system. */
    static JFreeChart throughput(String title, Map<String, IntervalLog> bySystem) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, IntervalLog> e : bySystem.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (IntervalLog.Interval i : e.getValue().intervals()) {
                if (i.lengthSec() > 0.2) { // the last, drained interval may be a sliver; its rate means little
                    s.add(i.startSec() + i.lengthSec(), i.rate());
                }
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("seconds since measurement start");
        x.setAutoRangeIncludesZero(true);
        NumberAxis y = new NumberAxis("requests/s");
        y.setAutoRangeIncludesZero(true);
        return chart(title, new XYPlot(data, x, y, renderer(data.getSeriesCount())));
    }

    /** The chart as a {@code data:image/png;base64,...} URI. */
    static String dataUri(JFreeChart chart) {
        BufferedImage img = chart.createBufferedImage(WIDTH, HEIGHT);
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(ChartUtils.encodeAsPNG(img));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Series name to histogram, keeping insertion order; a small helper for callers. */
    static <V> Map<String, V> ordered() {
        return new LinkedHashMap<>();
    }

    private static XYLineAndShapeRenderer renderer(int series) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series; i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        return r;
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart c = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        c.setTitle(new TextTitle(title, new Font("SansSerif", Font.BOLD, 14)));
        return c;
    }
}
