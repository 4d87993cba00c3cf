package io.kplane.reports;

import java.util.Map;

/**
 * One JMH result (one benchmark with one parameter combination), as read from JMH's JSON.
 *
 * @param benchmark  fully qualified benchmark method
 * @param mode       "thrpt", "avgt", "sample", "ss"
 * @param params     JMH {@code @Param} values
 * @param score      primary score
 * @param scoreError half-width of JMH's 99.9% confidence interval ({@code NaN} when JMH could not compute it)
 * @param unit       e.g. "ops/s", "ns/op"
 * @param forks      forks run
 * @param iterations measured iterations per fork
 */
public record JmhScore(String benchmark, String mode, Map<String, String> params, double score, double scoreError,
                       String unit, int forks, int iterations) {

    /** Short name: class simple name + method, with parameters, e.g. {@code RecorderBenchmark.record}. */
    public String shortName() {
        String[] parts = benchmark.split("\\.");
        String base = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
        if (params.isEmpty()) {
            return base;
        }
        StringBuilder b = new StringBuilder(base).append(" {");
        params.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append(k).append('=').append(v));
        return b.append('}').toString();
    }

    /** A key that identifies the same measurement across runs. */
    public String key() {
        return benchmark + ":" + mode + (params.isEmpty() ? "" : ":" + params);
    }

    /** Higher is better for throughput; lower for time per operation. */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** Relative error (scoreError / score), or {@code null} when unknown. */
    public Double relativeError() {
        if (Double.isNaN(scoreError) || score == 0) {
            return null;
        }
        return Math.abs(scoreError / score);
    }
}
