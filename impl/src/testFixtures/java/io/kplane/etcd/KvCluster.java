package io.kplane.etcd;

import io.kplane.server.ChildJvm;
import io.kplane.server.ClusterSpec;
import io.kplane.server.StoreConfig;
import io.kplane.server.StoreNode;
import io.kplane.wal.WalSyncMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An N-member kplane store in this process: real Raft members ({@link StoreNode}) talking over TCP
 * on loopback, each with its WAL in its own data dir and its own etcd gRPC endpoint. For tests and
 * benchmarks that want "a kplane cluster" with one call; {@code kplane store} runs one member per
 * process instead.
 */
public final class KvCluster implements AutoCloseable {
    private final List<StoreNode> nodes = new ArrayList<>();
    private final List<EtcdServer> servers = new ArrayList<>();
    private final java.util.Set<Integer> stopped = new java.util.HashSet<>();

    /**
     * Starts {@code size} members under {@code dataRoot} and waits until one of them leads.
     *
     * @param tick  Raft tick (etcd's default heartbeat is 100 ms; tests use less for quick elections)
     * @param fsync false only for benchmarks that say so in their output
     */
    public static KvCluster start(int size, Path dataRoot, Duration tick, boolean fsync) throws IOException {
        StringBuilder spec = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            spec.append(i > 1 ? "," : "").append("n").append(i).append("=127.0.0.1:").append(ChildJvm.freePort());
        }
        ClusterSpec cluster = ClusterSpec.parse(spec.toString(), "kplane-kv-cluster");
        KvCluster c = new KvCluster();
        try {
            for (ClusterSpec.Peer p : cluster.peers()) {
                StoreConfig config = StoreConfig.defaults(p.name(), cluster, dataRoot.resolve(p.name()))
                        .withTick(tick).withSyncMode(fsync ? WalSyncMode.FSYNC : WalSyncMode.NO_FSYNC);
                StoreNode node = StoreNode.startTcp(config, new KvReplicatedStateMachine(), null);
                c.nodes.add(node);
            }
            for (StoreNode node : c.nodes) {
                EtcdServer server = EtcdServer.start(node, new InetSocketAddress("127.0.0.1", 0), EtcdServer.Options.defaults()
                        .withLeasePromoteExtensionMillis(tick.toMillis() * node.config().electionTicks()));
                c.servers.add(server);
            }
            c.awaitLeader(Duration.ofSeconds(20));
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }


    /** Waits until some member is leader and every member knows it; returns the leader's index. */
    public int awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<StoreNode> running = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (!stopped.contains(i)) {
                    running.add(nodes.get(i));
                }
            }
            long leader = running.get(0).status().leaderId();
            boolean agreed = leader != 0 && running.stream().allMatch(n -> n.status().leaderId() == leader);
            if (agreed) {
                for (int i = 0; i < nodes.size(); i++) {
                    if (!stopped.contains(i) && nodes.get(i).status().isLeader()) {
                        return i;
                    }
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no leader elected within " + timeout);
    }

    public int size() {
        return nodes.size();
    }

    public StoreNode member(int i) {
        return nodes.get(i);
    }

    public EtcdServer server(int i) {
        return servers.get(i);
    }

    /** Client endpoints ({@code http://127.0.0.1:PORT}), member order. */
    public List<String> endpoints() {
        return servers.stream().map(EtcdServer::endpoint).toList();
    }

    /** Stops member {@code i} (its etcd endpoint and its Raft member), as a crash would. */
    public void stop(int i) {
        if (stopped.add(i)) {
            servers.get(i).close();
            nodes.get(i).close();
        }
    }

    @Override
    public void close() {
        for (EtcdServer s : servers) {
            s.close();
        }
        for (StoreNode n : nodes) {
            n.close();
        }
    }
}
