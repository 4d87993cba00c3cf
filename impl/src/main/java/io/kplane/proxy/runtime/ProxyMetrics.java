package io.kplane.proxy.runtime;

import java.util.Locale;

/**
 * The proxy's metrics under kube-proxy's names (subsystem {@code kubeproxy}), with its histogram
 * buckets (exponential from 1 ms, factor 2, 15 buckets), rendered in the Prometheus text format.
 * Written by the sync thread only; read by anyone: each gauge and counter is one volatile value, and
 * each histogram publishes an immutable, consistent state per observation.
 */
public final class ProxyMetrics {
    private static final double[] BUCKETS = new double[15];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKETS[i] = 0.001 * Math.pow(2, i);
        }
    }

    /**
     * A Prometheus histogram in seconds. The sync thread observes; a scrape on any thread reads one
     * consistent state: the cumulative buckets, count and sum of the same observations.
     *
     * <p>Each observation publishes a new immutable {@link State} with one volatile write. The
     * first version kept a plain {@code long[]} of bucket counts beside volatile {@code count} and
     * {@code sum}; a concurrent scrape could then see a bucket above {@code _count}, a {@code +Inf}
     * bucket different from {@code _count}, or half of an observation's buckets (found by
     * {@code ProxyMetricsLincheckTest}). Copying 15 longs per observation is cheap at the rate the
     * proxy syncs.
     */
    public static final class Histogram {
        /** One consistent state; never modified after it is published (final fields: safe to share). */
        private static final class State {
            final long[] cumulative;
            final long count;
            final double sum;

            State(long[] cumulative, long count, double sum) {
                this.cumulative = cumulative;
                this.count = count;
                this.sum = sum;
            }
        }

        private final String name;
        private final String help;
        private volatile State state = new State(new long[BUCKETS.length], 0, 0);

        Histogram(String name, String help) {
            this.name = name;
            this.help = help;
        }

        /** Only the single writer (the sync thread) may call this. */
        public void observe(double seconds) {
            State s = state;
            long[] cumulative = s.cumulative.clone();
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    cumulative[i]++;
                }
            }
            state = new State(cumulative, s.count + 1, s.sum + seconds);
        }

        public long count() {
            return state.count;
        }

        public double sum() {
            return state.sum;
        }

        void write(StringBuilder sb) {
            State s = state; // one read: everything below belongs to the same observations
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(" histogram\n");
            for (int i = 0; i < BUCKETS.length; i++) {
                sb.append(name).append("_bucket{le=\"").append(fmt(BUCKETS[i])).append("\"} ").append(s.cumulative[i]).append('\n');
            }
            sb.append(name).append("_bucket{le=\"+Inf\"} ").append(s.count).append('\n');
            sb.append(name).append("_sum ").append(fmt(s.sum)).append('\n');
            sb.append(name).append("_count ").append(s.count).append('\n');
        }
    }

    public final Histogram syncProxyRules = new Histogram("kubeproxy_sync_proxy_rules_duration_seconds",
            "SyncProxyRules latency in seconds");
    public final Histogram syncFullProxyRules = new Histogram("kubeproxy_sync_full_proxy_rules_duration_seconds",
            "SyncProxyRules latency in seconds for full resyncs");
    public final Histogram syncPartialProxyRules = new Histogram("kubeproxy_sync_partial_proxy_rules_duration_seconds",
            "SyncProxyRules latency in seconds for partial resyncs");
    public final Histogram networkProgramming = new Histogram("kubeproxy_network_programming_duration_seconds",
            "In Cluster Network Programming Latency in seconds");
    volatile long iptablesTotalFilter;
    volatile long iptablesTotalNat;
    volatile long iptablesLastFilter;
    volatile long iptablesLastNat;
    volatile long restoreFailures;
    volatile long partialRestoreFailures;
    volatile long noLocalEndpointsInternal;
    volatile long noLocalEndpointsExternal;
    volatile double lastTimestampSeconds;
    volatile double lastQueuedTimestampSeconds;
    volatile long serviceChanges;
    volatile long endpointChanges;

    public long restoreFailures() {
        return restoreFailures;
    }

    public long natRulesTotal() {
        return iptablesTotalNat;
    }

    public long natRulesLast() {
        return iptablesLastNat;
    }

    public String prometheusText() {
        StringBuilder sb = new StringBuilder(4096);
        syncProxyRules.write(sb);
        syncFullProxyRules.write(sb);
        syncPartialProxyRules.write(sb);
        networkProgramming.write(sb);
        gauge(sb, "kubeproxy_sync_proxy_rules_iptables_total", "Total number of iptables rules owned by kube-proxy",
                "table=\"filter\"", iptablesTotalFilter, "table=\"nat\"", iptablesTotalNat);
        gauge(sb, "kubeproxy_sync_proxy_rules_iptables_last", "Number of iptables rules written by kube-proxy in last sync",
                "table=\"filter\"", iptablesLastFilter, "table=\"nat\"", iptablesLastNat);
        counter(sb, "kubeproxy_sync_proxy_rules_iptables_restore_failures_total",
                "Cumulative proxy iptables restore failures", restoreFailures);
        counter(sb, "kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total",
                "Cumulative proxy iptables partial restore failures", partialRestoreFailures);
        gauge(sb, "kubeproxy_sync_proxy_rules_no_local_endpoints_total",
                "Number of services with a Local traffic policy and no endpoints",
                "traffic_policy=\"internal\"", noLocalEndpointsInternal, "traffic_policy=\"external\"", noLocalEndpointsExternal);
        counter(sb, "kubeproxy_sync_proxy_rules_service_changes_total", "Cumulative proxy rules Service changes", serviceChanges);
        counter(sb, "kubeproxy_sync_proxy_rules_endpoint_changes_total", "Cumulative proxy rules Endpoint changes", endpointChanges);
        sb.append("# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge\n")
                .append("kubeproxy_sync_proxy_rules_last_timestamp_seconds ").append(fmt(lastTimestampSeconds)).append('\n');
        sb.append("# TYPE kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds gauge\n")
                .append("kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds ").append(fmt(lastQueuedTimestampSeconds)).append('\n');
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, String l1, long v1, String l2, long v2) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append('{').append(l1).append("} ").append(v1).append('\n');
        sb.append(name).append('{').append(l2).append("} ").append(v2).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }
}
