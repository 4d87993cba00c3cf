package io.kplane.etcd;

import io.kplane.server.FsyncHistogram;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What etcd's {@code /health} and {@code /metrics} say about one member, whichever port serves
 * them ({@link MetricsEndpoint} on {@code --listen-metrics-urls}, {@link ClientPortHttp} on the
 * client port). Metric names are etcd's where kplane measures the same thing: a dashboard or alert
 * written for etcd reads them unchanged.
 *
 * <p>Health is etcd 3.4's: {@code {"health":"true"}} when the member knows a leader and a
 * linearizable read barrier completes within a second, else {@code "false"} (HTTP 503).
 */
final class MemberMetrics {
    private final Replica replica;
    private final AtomicLong leaderChanges = new AtomicLong();

    MemberMetrics(Replica replica) {
        this.replica = replica;
        replica.addLeadershipListener(new io.kplane.server.LeadershipListener() {
            private long lastLeader = -1;

            @Override
            public void leadershipChanged(long leaderId, long term, boolean isLeader) {
                if (leaderId != 0 && leaderId != lastLeader) {
                    leaderChanges.incrementAndGet();
                    lastLeader = leaderId;
                }
            }
        });
    }

    /** Completes (never exceptionally, within about a second) with whether this member is healthy. */
    CompletableFuture<Boolean> healthy() {
        if (replica.status().leaderId() == 0) {
            return CompletableFuture.completedFuture(false);
        }
        return replica.readBarrier().orTimeout(1, TimeUnit.SECONDS).handle((v, e) -> e == null);
    }

    /** The body of {@code /health} for {@code healthy}. */
    static String healthBody(boolean healthy) {
        return "{\"health\":\"" + healthy + "\"}";
    }

    /** Content type of {@link #render()}: Prometheus text exposition 0.0.4. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The Prometheus text exposition of this member's metrics. */
    String render() {
        ReplicaStatus s = replica.status();
        StringBuilder b = new StringBuilder();
        gauge(b, "etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.",
                s.leaderId() != 0 ? 1 : 0);
        gauge(b, "etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.",
                s.isLeader() ? 1 : 0);
        counter(b, "etcd_server_leader_changes_seen_total", "The number of leader changes seen.", leaderChanges.get());
        gauge(b, "etcd_server_proposals_committed_total", "The total number of consensus proposals committed.",
                s.commitIndex());
        gauge(b, "etcd_server_proposals_applied_total", "The total number of consensus proposals applied.",
                s.appliedIndex());
        gauge(b, "etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", Math.max(0, s.dbSize()));
        FsyncHistogram fsyncs = replica.walFsyncs();
        if (fsyncs != null) {
            String name = "etcd_disk_wal_fsync_duration_seconds";
            b.append("# HELP ").append(name).append(" The latency distributions of fsync called by WAL.\n");
            b.append("# TYPE ").append(name).append(" histogram\n");
            long[] counts = fsyncs.counts();
            long cumulative = 0;
            for (int i = 0; i < FsyncHistogram.BOUNDS.length; i++) {
                cumulative += counts[i];
                b.append(name).append("_bucket{le=\"").append(FsyncHistogram.BOUNDS[i]).append("\"} ")
                        .append(cumulative).append('\n');
            }
            cumulative += counts[counts.length - 1];
            b.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
            b.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.9f", fsyncs.sumSeconds())).append('\n');
            b.append(name).append("_count ").append(cumulative).append('\n');
        }
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(' ').append(value).append('\n');
    }
}
