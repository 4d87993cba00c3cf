package io.kplane.proxy.jcstress;

import io.kplane.proxy.runtime.ProxyMetrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * A metrics scrape on another thread reads a proxy histogram while the sync thread observes: the
 * scrape must see one consistent histogram, its lowest bucket, {@code +Inf} bucket and
 * {@code _count} from the same observations. With two observations already made (one in every
 * bucket, one only in the high ones) and a third racing (every bucket), the scrape sees either
 * (1, 2, 2) or (2, 3, 3).
 *
 * <p>r1 = the 1 ms bucket, r2 = the +Inf bucket, r3 = {@code _count}.
 */
@JCStressTest
@Outcome(id = "1, 2, 2", expect = Expect.ACCEPTABLE, desc = "before the observation")
@Outcome(id = "2, 3, 3", expect = Expect.ACCEPTABLE, desc = "after the observation")
@Outcome(expect = Expect.FORBIDDEN, desc = "a scrape mixed two states of the histogram")
@State
public class HistogramSnapshotStress {
    private final ProxyMetrics metrics = new ProxyMetrics();

    public HistogramSnapshotStress() {
        metrics.syncProxyRules.observe(0.0005);
        metrics.syncProxyRules.observe(8.0);
    }

    @Actor
    public void syncThread() {
        metrics.syncProxyRules.observe(0.0005);
    }

    @Actor
    public void scrape(JJJ_Result r) {
        String text = metrics.prometheusText();
        String name = "kubeproxy_sync_proxy_rules_duration_seconds";
        r.r1 = value(text, name + "_bucket{le=\"0.001\"} ");
        r.r2 = value(text, name + "_bucket{le=\"+Inf\"} ");
        r.r3 = value(text, name + "_count ");
    }

    private static long value(String text, String prefix) {
        int at = text.indexOf(prefix);
        if (at < 0) {
            return -1;
        }
        int end = text.indexOf('\n', at);
        return Long.parseLong(text.substring(at + prefix.length(), end));
    }
}
