package io.kplane.etcd;

import io.kplane.server.Replica;
import io.kplane.server.StateMachine;
import io.kplane.server.StoreApplication;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The etcd-compatible store: {@code kplane store} runs the MVCC state machine and, with
 * {@code --listen-client}, serves etcd v3 clients on it. The default application (lowest order).
 */
public final class KvStoreApplication implements StoreApplication {

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public StateMachine createStateMachine(Path dataDir) {
        return new KvReplicatedStateMachine();
    }

    @Override
    public AutoCloseable startClientEndpoint(Replica replica, InetSocketAddress listen) throws Exception {
        return EtcdServer.start(replica, listen, withQuota(replica, EtcdServer.Options.defaults()));
    }

    /** The member's {@code --quota-backend-bytes}, whichever endpoint variant starts it. */
    private static EtcdServer.Options withQuota(Replica replica, EtcdServer.Options options) {
        if (replica instanceof io.kplane.server.StoreNode node) {
            return options.withQuotaBackendBytes(node.config().effectiveQuotaBytes());
        }
        return options;
    }

    @Override
    public AutoCloseable startClientEndpoint(Replica replica, InetSocketAddress listen,
                                             io.kplane.server.ClientEndpointOptions endpoint) throws Exception {
        EtcdServer.Options options = withQuota(replica, EtcdServer.Options.defaults()).withMetricsListen(endpoint.metrics());
        if (endpoint.certFile() != null || endpoint.keyFile() != null) {
            options = options.withTls(new ClientTls(endpoint.certFile(), endpoint.keyFile(), endpoint.trustedCaFile(),
                    endpoint.clientCertAuth()));
        }
        return EtcdServer.start(replica, listen, options);
    }
}
