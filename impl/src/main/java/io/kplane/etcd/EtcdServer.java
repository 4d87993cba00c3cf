package io.kplane.etcd;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.kplane.server.Replica;
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

    /** Tunables; {@link #defaults()} are etcd's. */
    public record Options(int maxRequestBytes, long progressNotifyMillis, long leaseCheckMillis,
                          long leasePromoteExtensionMillis) {
        public static Options defaults() {
            return new Options(DEFAULT_MAX_REQUEST_BYTES, TimeUnit.MINUTES.toMillis(10), 500, 1000);
        }

        public Options withProgressNotifyMillis(long millis) {
            return new Options(maxRequestBytes, millis, leaseCheckMillis, leasePromoteExtensionMillis);
        }

        /** How far a new leader pushes every lease's deadline beyond its TTL (etcd: the election timeout). */
        public Options withLeasePromoteExtensionMillis(long millis) {
            return new Options(maxRequestBytes, progressNotifyMillis, leaseCheckMillis, millis);
        }
    }

    private final Server server;
    private final WatchHub watchHub;
    private final LeaseExpiry leaseExpiry;
    private final KvService kv;

    private EtcdServer(Server server, WatchHub watchHub, LeaseExpiry leaseExpiry, KvService kv) {
        this.kv = kv;
        this.server = server;
        this.watchHub = watchHub;
        this.leaseExpiry = leaseExpiry;
    }

    /** Starts serving {@code replica} on {@code listen} (port 0 picks a free port). */
    public static EtcdServer start(Replica replica, InetSocketAddress listen, Options options) throws IOException {
        Headers headers = new Headers(replica);
        KvService kv = new KvService(replica, headers, options.maxRequestBytes());
        WatchHub hub = new WatchHub(replica, headers, options.progressNotifyMillis());
        LeaseExpiry expiry = new LeaseExpiry(replica, System::nanoTime, options.leasePromoteExtensionMillis(),
                options.leaseCheckMillis());
        ClusterService cluster = new ClusterService(kv, replica, headers);
        Server server = NettyServerBuilder.forAddress(listen)
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
                .addService(new MaintenanceService(kv, replica, headers))
                .addService(cluster)
                .build();
        try {
            server.start();
            cluster.setSelfUrl("http://" + listen.getAddress().getHostAddress() + ":" + server.getPort());
        } catch (IOException e) {
            hub.close();
            expiry.close();
            kv.close();
            throw e;
        }
        return new EtcdServer(server, hub, expiry, kv);
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

    /** {@code http://127.0.0.1:PORT}, the form etcd clients take as an endpoint. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdown();
        watchHub.close();
        leaseExpiry.close();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        kv.close();
    }
}
