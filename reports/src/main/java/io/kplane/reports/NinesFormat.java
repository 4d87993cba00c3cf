package io.kplane.reports;

import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * Labels a "nines" axis: the axis value is {@code 1 / (1 - percentile)}, so 10 is 90%, 100 is
 * 99%, 1000 is 99.9%, as on HdrHistogram's percentile plots.
 */
final class NinesFormat extends NumberFormat {

    private static final long serialVersionUID = 1L;

    /** Axis position of a percentile (0..100). */
    static double position(double percentile) {
        return 1.0 / (1.0 - Math.min(percentile, 99.999999) / 100.0);
    }

    static String label(double position) {
        if (position <= 1.0000001) {
            return "0%";
        }
        double p = 100.0 * (1.0 - 1.0 / position);
        String s = String.format("%.6f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(label(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(label(number));
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        return null; // display only
    }
}
