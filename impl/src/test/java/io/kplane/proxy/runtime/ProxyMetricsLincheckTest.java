package io.kplane.proxy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability (Lincheck, stress and model-checking modes) of {@link ProxyMetrics.Histogram}:
 * the sync thread observes durations, any thread (a metrics scrape) reads the histogram. A scrape
 * must see one consistent histogram, as if it ran between two observations: every cumulative
 * bucket at most the count, the {@code +Inf} bucket equal to {@code _count}, and {@code _sum}
 * belonging to the same observations. Prometheus computes quantiles from exactly these numbers.
 *
 * <p>The sequential specification {@link Model} is a plain array of counts.
 */
class ProxyMetricsLincheckTest {

    /** Durations that fall into different buckets and add up exactly in binary floating point. */
    static final double[] DURATIONS = {0.0005, 0.0625, 0.5, 4.0, 64.0};

    @Param(name = "duration", gen = IntGen.class, conf = "0:4")
    public static class Histogram {
        private final ProxyMetrics.Histogram h = new ProxyMetrics().syncProxyRules;

        /** Single writer: the sync thread. */
        @Operation(nonParallelGroup = "sync")
        public void observe(@Param(name = "duration") int duration) {
            h.observe(DURATIONS[duration]);
        }

        /** A scrape, reduced to the numbers Prometheus reads. */
        @Operation
        public String scrape() {
            StringBuilder sb = new StringBuilder();
            h.write(sb);
            return summarize(sb.toString());
        }

        @Operation
        public long count() {
            return h.count();
        }
    }

    /** The sequential specification. */
    public static final class Model {
        private final long[] cumulative = new long[15];
        private long count;
        private double sum;

        public void observe(int duration) {
            double seconds = DURATIONS[duration];
            for (int i = 0; i < cumulative.length; i++) {
                if (seconds <= 0.001 * Math.pow(2, i)) {
                    cumulative[i]++;
                }
            }
            count++;
            sum += seconds;
        }

        public String scrape() {
            return Arrays.toString(cumulative) + " inf=" + count + " sum=" + sum + " count=" + count;
        }

        public long count() {
            return count;
        }
    }

    /** "[b0, b1, ...] inf=N sum=S count=N" from the Prometheus text of one histogram. */
    static String summarize(String text) {
        long[] buckets = new long[15];
        int b = 0;
        String inf = "?";
        String sum = "?";
        String count = "?";
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String value = line.substring(line.lastIndexOf(' ') + 1);
            if (line.contains("_bucket{le=\"+Inf\"}")) {
                inf = value;
            } else if (line.contains("_bucket{")) {
                buckets[b++] = Long.parseLong(value);
            } else if (line.contains("_sum ")) {
                sum = Double.toString(Double.parseDouble(value));
            } else if (line.contains("_count ")) {
                count = value;
            }
        }
        return Arrays.toString(buckets) + " inf=" + inf + " sum=" + sum + " count=" + count;
    }

    @Test
    void theModelAgreesWithTheHistogramSequentially() {
        Histogram h = new Histogram();
        Model m = new Model();
        assertThat(h.scrape()).isEqualTo(m.scrape());
        for (int d : new int[] {0, 3, 1, 4, 2, 0}) {
            h.observe(d);
            m.observe(d);
            assertThat(h.scrape()).isEqualTo(m.scrape());
            assertThat(h.count()).isEqualTo(m.count());
        }
        assertThat(m.scrape()).isEqualTo(
                "[2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5] inf=6 sum=68.5635 count=6");
    }

    @Test
    void linearizableUnderStress() {
        new StressOptions().iterations(10).invocationsPerIteration(1_000).threads(3).actorsPerThread(2)
                .sequentialSpecification(Model.class).check(Histogram.class);
    }

    @Test
    void linearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(200).threads(3).actorsPerThread(2)
                .sequentialSpecification(Model.class).check(Histogram.class);
    }
}
