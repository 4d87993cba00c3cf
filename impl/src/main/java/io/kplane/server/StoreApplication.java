package io.kplane.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What runs on top of a store member: its state machine and, optionally, a client-facing endpoint
 * (the etcd gRPC API). Found with {@link java.util.ServiceLoader} by {@code kplane store}: register
 * implementations in {@code META-INF/services/io.kplane.server.StoreApplication}. The command picks
 * one by {@link #name()} ({@code --state-machine NAME}); the default is the application with the
 * lowest {@link #order()}. The built-in {@code log} application ({@link AppendOnlyLog}) has no
 * client endpoint and is used by the runtime's own tests.
 */
public interface StoreApplication {

    /** Short name used on the command line, e.g. {@code kv}. */
    String name();

    /** Lower wins when the command line does not choose. */
    default int order() {
        return 100;
    }

    /** A fresh, empty state machine for the member whose data lives under {@code dataDir}. */
    StateMachine createStateMachine(Path dataDir);

    /**
     * Starts the client endpoint on {@code listen} ({@code --listen-client}); returns what stops it.
     * Called after the member is running.
     *
     * @throws UnsupportedOperationException if this application has no client endpoint
     */
    default AutoCloseable startClientEndpoint(Replica replica, InetSocketAddress listen) throws Exception {
        throw new UnsupportedOperationException("state machine '" + name() + "' has no client endpoint");
    }

    /** Like {@link #startClientEndpoint(Replica, InetSocketAddress)}, with metrics and TLS options. */
    default AutoCloseable startClientEndpoint(Replica replica, InetSocketAddress listen, ClientEndpointOptions options)
            throws Exception {
        if (!options.isEmpty()) {
            throw new UnsupportedOperationException("state machine '" + name() + "' has no metrics or TLS options");
        }
        return startClientEndpoint(replica, listen);
    }
}
