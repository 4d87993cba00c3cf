package io.kplane.etcd;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.kplane.server.Replica;
import io.kplane.time.NanoClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The etcd v3 gRPC endpoint of one store member: KV, Watch, Lease, Maintenance and Cluster over a
 * {@link Replica} whose state machine is a {@code KvStateMachine}. Real etcd clients (etcdctl,
 * jetcd, kube-apiserver) talk to it unchanged.
 */
public final class EtcdServer implements AutoCloseable {
    /** etcd's default {@code --max-request-bytes}: 1.5 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    /** etcd lets gRPC accept this much more than max-request-bytes, and checks the rest itself. */
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    /** Tunables; {@link #defaults()} are etcd's. {@code metricsListen} and {@code tls} may be null (none). */
    public record Options(int maxRequestBytes, long progressNotifyMillis, long leaseCheckMillis,
                          long leasePromoteExtensionMillis, long quotaBackendBytes,
                          InetSocketAddress metricsListen, ClientTls tls) {
        public Options(int maxRequestBytes, long progressNotifyMillis, long leaseCheckMillis,
                       long leasePromoteExtensionMillis, long quotaBackendBytes) {
            this(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, leasePromoteExtensionMillis, quotaBackendBytes,
                    null, null);
        }

        public Options(int maxRequestBytes, long progressNotifyMillis, long leaseCheckMillis,
                       long leasePromoteExtensionMillis) {
            this(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, leasePromoteExtensionMillis,
                    io.kplane.server.StoreConfig.DEFAULT_QUOTA_BACKEND_BYTES);
        }

        public static Options defaults() {
            return new Options(DEFAULT_MAX_REQUEST_BYTES, TimeUnit.MINUTES.toMillis(10), 500, 1000,
                    io.kplane.server.StoreConfig.DEFAULT_QUOTA_BACKEND_BYTES);
        }

        /** Serve {@code /health} and {@code /metrics} over HTTP on {@code listen} (etcd's {@code --listen-metrics-urls}). */
        public Options withMetricsListen(InetSocketAddress listen) {
            return new Options(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, leasePromoteExtensionMillis, quotaBackendBytes,
                    listen, tls);
        }

        /** Serve the client port over TLS. */
        public Options withTls(ClientTls clientTls) {
            return new Options(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, leasePromoteExtensionMillis,
                    quotaBackendBytes, metricsListen, clientTls);
        }

        public Options withProgressNotifyMillis(long millis) {
            return new Options(maxRequestBytes, millis, leaseCheckMillis, leasePromoteExtensionMillis, quotaBackendBytes,
                    metricsListen, tls);
        }

        /** How far a new leader pushes every lease's deadline beyond its TTL (etcd: the election timeout). */
        public Options withLeasePromoteExtensionMillis(long millis) {
            return new Options(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, millis, quotaBackendBytes,
                    metricsListen, tls);
        }

        /** The store size above which the NOSPACE alarm is raised ({@code --quota-backend-bytes}). */
        public Options withQuotaBackendBytes(long bytes) {
            return new Options(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, leasePromoteExtensionMillis, bytes,
                    metricsListen, tls);
        }
    }

    private final Server server;
    private final WatchHub watchHub;
    private final LeaseExpiry leaseExpiry;
    private final java.util.concurrent.ExecutorService snapshotSerializer;
    private final KvService kv;
    private final MetricsEndpoint metrics;

    private EtcdServer(Server server, WatchHub watchHub, LeaseExpiry leaseExpiry,
                       java.util.concurrent.ExecutorService snapshotSerializer, KvService kv, MetricsEndpoint metrics) {
        this.kv = kv;
        this.metrics = metrics;
        this.server = server;
        this.watchHub = watchHub;
        this.leaseExpiry = leaseExpiry;
        this.snapshotSerializer = snapshotSerializer;
    }

    /** Starts serving {@code replica} on {@code listen} (port 0 picks a free port). */
    public static EtcdServer start(Replica replica, InetSocketAddress listen, Options options) throws IOException {
        return start(replica, listen, options, NanoClock.system());
    }

    /** As above; {@code clock} times lease expiry and watch progress notifications (tests move a manual one). */
    public static EtcdServer start(Replica replica, InetSocketAddress listen, Options options, NanoClock clock)
            throws IOException {
        Headers headers = new Headers(replica);
        io.kplane.kv.KvStateMachine stateMachine;
        try {
            stateMachine = replica.query(KvReplicatedStateMachine::kv).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the etcd endpoint", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the member did not answer while starting the etcd endpoint: " + e, e);
        }
        SpaceQuota quota = new SpaceQuota(replica, stateMachine, options.quotaBackendBytes(), replica.status().memberId());
        KvService kv = new KvService(replica, headers, options.maxRequestBytes(), quota);
        java.util.concurrent.ExecutorService snapshotSerializer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "etcd-snapshot");
            t.setDaemon(true);
            return t;
        });
        WatchHub hub = new WatchHub(replica, headers, options.progressNotifyMillis(),
                options.maxRequestBytes() + GRPC_OVERHEAD_BYTES, clock);
        LeaseExpiry expiry = new LeaseExpiry(replica, clock, options.leasePromoteExtensionMillis(),
                options.leaseCheckMillis());
        ClusterService cluster = new ClusterService(kv, replica, headers);
        MemberMetrics memberMetrics = new MemberMetrics(replica);
        NettyServerBuilder builder;
        if (options.tls() != null) {
            builder = NettyServerBuilder.forAddress(listen).sslContext(options.tls().serverContext());
        } else {
            // plaintext: /health and /metrics over HTTP/1.1 share the port with gRPC, as in etcd
            builder = NettyServerBuilder.forAddress(listen, io.grpc.netty.InternalNettyServerCredentials.create(
                    new ClientPortHttp(io.grpc.netty.InternalProtocolNegotiators.serverPlaintext(), memberMetrics)));
        }
        Server server = builder
                // Every handler only validates, encodes and hands the request to the member's queue
                // (or completes from a future): none blocks, so they run on the transport's event
                // loop instead of hopping to a thread pool and back for every call.
                .directExecutor()
                .maxInboundMessageSize(options.maxRequestBytes() + GRPC_OVERHEAD_BYTES)
                .permitKeepAliveTime(5, TimeUnit.SECONDS) // etcd's --grpc-keepalive-min-time
                .permitKeepAliveWithoutCalls(true)
                .addService(kv)
                .addService(new WatchService(hub))
                .addService(new LeaseService(kv, headers, expiry).withLeaseLeases())
                .addService(new MaintenanceService(kv, replica, headers, snapshotSerializer))
                .addService(cluster)
                .build();
        try {
            server.start();
            cluster.setSelfUrl((options.tls() != null ? "https://" : "http://") + listen.getAddress().getHostAddress() + ":" + server.getPort());
        } catch (IOException e) {
            hub.close();
            expiry.close();
            snapshotSerializer.shutdown();
            kv.close();
            throw e;
        }
        MetricsEndpoint metrics = null;
        if (options.metricsListen() != null) {
            try {
                metrics = new MetricsEndpoint(memberMetrics, options.metricsListen());
            } catch (IOException e) {
                server.shutdownNow();
                hub.close();
                expiry.close();
                snapshotSerializer.shutdown();
                kv.close();
                throw e;
            }
        }
        EtcdServer started = new EtcdServer(server, hub, expiry, snapshotSerializer, kv, metrics);
        started.scheme = options.tls() != null ? "https" : "http";
        return started;
    }

    public static EtcdServer start(Replica replica, InetSocketAddress listen) throws IOException {
        return start(replica, listen, Options.defaults());
    }

    /** Watch delivery counters: {@code [lapped streams, history catch-ups]}. */
    public long[] watchStats() {
        return new long[] {watchHub.overruns(), watchHub.catchUps()};
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    private String scheme = "http";

    /** {@code http://127.0.0.1:PORT} ({@code https} with TLS), the form etcd clients take as an endpoint. */
    public String endpoint() {
        return scheme + "://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdown();
        watchHub.close();
        leaseExpiry.close();
        snapshotSerializer.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        kv.close();
        if (metrics != null) {
            metrics.close();
        }
    }

    /** The port of {@code /health} and {@code /metrics}, or -1 if not served. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }
}
