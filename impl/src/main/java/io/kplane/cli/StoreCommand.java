package io.kplane.cli;

import io.kplane.server.ClusterMembers;
import io.kplane.server.ClusterSpec;
import io.kplane.server.DataDirIdentity;
import io.kplane.server.DataDirMismatchException;
import io.kplane.server.Member;
import io.kplane.server.MembershipChange;
import io.kplane.server.PeerTls;
import io.kplane.server.PortInUseException;
import io.kplane.server.StoreApplication;
import io.kplane.server.StoreConfig;
import io.kplane.server.StoreNode;
import io.kplane.wal.WalCorruptedException;
import io.kplane.wal.WalSyncMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane store}: runs one member of a replicated store in this process until SIGTERM.
 * The state machine and the optional client endpoint ({@code --listen-client}) come from a
 * {@link StoreApplication} found on the class path.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Runs one member of the Raft-replicated store until SIGTERM/SIGINT.",
                "Example (three members, one per terminal):",
                "  kplane store --name n1 --data-dir /tmp/n1 --listen-peer 127.0.0.1:2380 \\",
                "    --initial-cluster n1=127.0.0.1:2380,n2=127.0.0.1:2381,n3=127.0.0.1:2382"})
public final class StoreCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "This member's name in --initial-cluster.")
    String name;

    @Option(names = "--data-dir", required = true, description = "Directory for the WAL, snapshots and member identity.")
    Path dataDir;

    @Option(names = "--listen-peer", description = "host:port (or http(s)://host:port) to accept peer connections on "
            + "(default: this member's address in --initial-cluster; the port must match it, except on a restart "
            + "from the data dir, where it is where a member whose peer URL 'etcdctl member update' moved now listens).")
    String listenPeer;

    @Option(names = "--initial-cluster", required = true,
            description = "All members: name=host:port[,name=host:port...]. A peer URL may be written "
                    + "http://host:port, or https://host:port for peer TLS (then every member's, with --peer-cert-file).")
    String initialCluster;

    @Option(names = "--initial-cluster-state", defaultValue = "new", paramLabel = "new|existing",
            description = "new (default): bootstrap a new cluster of the --initial-cluster members. existing: join a "
                    + "running cluster as the member that 'etcdctl member add' added with this member's peer URL; "
                    + "its id, cluster and peers are asked from a member listed in --initial-cluster. Once it has "
                    + "joined, it publishes its --name and client URL (etcdctl member list then shows it started). "
                    + "A member restarting on its data dir ignores this and --initial-cluster, as etcd does: it "
                    + "restarts from the members it started with and its log.")
    String initialClusterState;

    @Option(names = "--initial-cluster-token", defaultValue = "kplane-cluster",
            description = "Distinguishes clusters with the same member addresses (default: ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--listen-client", description = "host:port for the client API of the state machine (e.g. etcd gRPC).")
    String listenClient;

    @Option(names = "--listen-metrics-urls", description = "URL (http://host:port) to serve etcd's /health and "
            + "Prometheus /metrics on (needs --listen-client).")
    String listenMetrics;

    @Option(names = "--cert-file", description = "PEM certificate of the client port (TLS); with --key-file.")
    Path certFile;

    @Option(names = "--key-file", description = "PEM (PKCS#8) key of --cert-file.")
    Path keyFile;

    @Option(names = "--trusted-ca-file", description = "PEM CA that signs client certificates (with --client-cert-auth).")
    Path trustedCaFile;

    @Option(names = "--client-cert-auth", description = "Clients of the client port must present a certificate "
            + "signed by --trusted-ca-file.")
    boolean clientCertAuth;

    @Option(names = "--peer-cert-file", description = "PEM certificate for peer traffic (TLS; with --peer-key-file and "
            + "https:// peer URLs): presented both to peers that connect and to peers this member dials, so it should "
            + "allow server and client use and name this member's peer host.")
    Path peerCertFile;

    @Option(names = "--peer-key-file", description = "PEM (PKCS#8) key of --peer-cert-file.")
    Path peerKeyFile;

    @Option(names = "--peer-trusted-ca-file", description = "PEM CA that signs the peers' certificates: checked when "
            + "dialing a peer (default: the JDK's trusted roots) and, with --peer-client-cert-auth, when a peer connects.")
    Path peerTrustedCaFile;

    @Option(names = "--peer-client-cert-auth", description = "Peers (and admin clients) connecting to the peer port "
            + "must present a certificate signed by --peer-trusted-ca-file.")
    boolean peerClientCertAuth;

    @Option(names = "--state-machine", description = "Application on top of the log: ${COMPLETION-CANDIDATES} "
            + "(default: the first one built, 'kv' when present).", completionCandidates = Applications.class)
    String stateMachine;

    @Option(names = "--tick-ms", defaultValue = "100", description = "Raft tick in ms (default: ${DEFAULT-VALUE}).")
    long tickMs;

    @Option(names = "--election-ticks", defaultValue = "10", description = "Ticks before an election (default: ${DEFAULT-VALUE}).")
    int electionTicks;

    @Option(names = "--snapshot-count", defaultValue = "100000", description = "Applied entries between snapshots (default: ${DEFAULT-VALUE}).")
    long snapshotCount;

    @Option(names = "--snapshot-catchup-entries", defaultValue = "5000",
            description = "Entries kept after a snapshot for slow followers (default: ${DEFAULT-VALUE}).")
    long catchUpEntries;

    @Option(names = "--trace-out", paramLabel = "FILE", description = "Append this member's Raft steps as NDJSON "
            + "(TraceRaft.tla vocabulary, with ts and member) to FILE; merge and validate the members' files with "
            + "'kplane check trace'. Buffered: written before each batch of Raft messages is sent and every 200 ms.")
    Path traceOut;

    @Option(names = "--unsafe-no-fsync", description = "Do not fsync the WAL. Loses acknowledged writes on a machine crash; for benchmarks only.")
    boolean noFsync;

    @Option(names = "--rejoin-as-learner", description = "Start a member whose write-ahead log was lost (its data dir "
            + "still has the member identity, so a normal start is refused with 'member has already been bootstrapped') "
            + "with a fresh log: it receives the leader's snapshot and takes no part in elections (no votes, no "
            + "campaigns) until it has caught up with the leader's commit index.")
    boolean rejoinAsLearner;

    @Option(names = "--quota-backend-bytes", defaultValue = "0", description = "Raise the NOSPACE alarm when the "
            + "backend grows beyond this many bytes: then puts and txns that write fail with 'etcdserver: mvcc: "
            + "database space exceeded' until 'etcdctl alarm disarm' after compaction freed space. 0 means etcd's "
            + "default (2 GiB), a negative value no quota; in every case at most the largest state a snapshot "
            + "holds, about 1.94 GiB (a warning says so when more is asked) (default: ${DEFAULT-VALUE}).")
    long quotaBackendBytes;

    @Option(names = "--restore", paramLabel = "FILE", description = "Seed the (new, empty) --data-dir from FILE, a "
            + "snapshot saved with 'etcdctl snapshot save FILE' from a kplane member (as 'etcdctl snapshot restore' "
            + "does: a new cluster of --initial-cluster whose state is the snapshot's; seed every member from the same "
            + "file), then run the member. A truncated or corrupt FILE (its SHA-256 is checked) is refused.")
    Path restore;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Names of the applications on the class path, for --help. */
    static final class Applications implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return applications().stream().map(StoreApplication::name).iterator();
        }
    }

    static List<StoreApplication> applications() {
        return ServiceLoader.load(StoreApplication.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(StoreApplication::order)).toList();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ClusterSpec cluster;
        ClusterSpec.Peer self;
        InetSocketAddress listen;
        InetSocketAddress client = null;
        InetSocketAddress metrics = null;
        StoreApplication app;
        PeerTls peerTls;
        boolean restarted = false;
        if (quotaBackendBytes < 0 || quotaBackendBytes > StoreConfig.MAX_SNAPSHOT_STATE_BYTES) {
            // etcd takes up to 8 GiB; a kplane snapshot serializes the state into one array, so a store
            // allowed to grow past that could never be snapshotted again. Said once, at start, rather
            // than found out when the alarm comes earlier than configured.
            err.println("kplane store: WARNING --quota-backend-bytes " + quotaBackendBytes + ": a snapshot holds at most "
                    + StoreConfig.MAX_SNAPSHOT_STATE_BYTES + " bytes of state, so the NOSPACE alarm is raised there");
        }
        try {
            cluster = ClusterSpec.parse(initialCluster, token);
            self = cluster.member(name);
            peerTls = peerTls(cluster);
            if (!initialClusterState.equals("new") && !initialClusterState.equals("existing")) {
                throw new IllegalArgumentException("--initial-cluster-state must be new or existing, got '"
                        + initialClusterState + "'");
            }
            ClusterSpec restart = restartFromDataDir(cluster);
            if (restart != null) {
                restarted = true;
                cluster = restart;
                self = cluster.member(name);
                checkPeerSchemes(cluster, peerTls, "the member list in " + dataDir);
            } else if (initialClusterState.equals("existing")) {
                cluster = joinedCluster(cluster, self, peerTls);
                self = cluster.member(name);
                checkPeerSchemes(cluster, peerTls, "the member list of the cluster");
            }
            listen = self.address();
            if (listenPeer != null) {
                if (listenPeer.startsWith("https://") != self.tls() && listenPeer.contains("://")) {
                    throw new IllegalArgumentException("--listen-peer " + listenPeer + " and " + name
                            + "'s peer URL in --initial-cluster (" + self.peerUrl() + ") differ in scheme");
                }
                listen = parseAddress("--listen-peer", listenPeer.replaceFirst("^https://", ""));
                // On a restart the member list in the data dir is the one the log starts from: a
                // MemberUpdate since may have moved this member's peer URL, so any port is taken.
                if (listen.getPort() != self.port() && !restarted) {
                    throw new IllegalArgumentException("--listen-peer port " + listen.getPort() + " does not match "
                            + name + "'s address in --initial-cluster (" + self.host() + ":" + self.port() + ")");
                }
            }
            if (listenClient != null) {
                client = parseAddress("--listen-client", listenClient);
            }
            if ((certFile != null || keyFile != null || trustedCaFile != null || clientCertAuth) && client == null) {
                throw new IllegalArgumentException("--cert-file/--key-file/--trusted-ca-file/--client-cert-auth need --listen-client");
            }
            if (listenMetrics != null) {
                if (client == null) {
                    throw new IllegalArgumentException("--listen-metrics-urls needs --listen-client");
                }
                metrics = parseAddress("--listen-metrics-urls", listenMetrics.replaceFirst("^http://", ""));
            }
            app = pickApplication();
            if (client != null && !hasClientEndpoint(app)) {
                throw new IllegalArgumentException("--listen-client: state machine '" + app.name()
                        + "' has no client endpoint");
            }
            if (tickMs < 1 || electionTicks < 2 || snapshotCount < 1 || catchUpEntries < 0) {
                throw new IllegalArgumentException("--tick-ms must be >= 1, --election-ticks >= 2, --snapshot-count >= 1");
            }
        } catch (DataDirMismatchException e) {
            err.println("kplane store: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("kplane store: " + e.getMessage());
            return 2;
        }
        if (!restarted) {
            // Written before the member's identity, which proves a bootstrapped log: a crash in between
            // leaves a data dir that is started afresh, and this file is written again.
            try {
                new ClusterMembers(cluster.clusterId(), cluster.members()).save(dataDir);
            } catch (IOException e) {
                err.println("kplane store: cannot keep the member list in " + dataDir + ": " + e.getMessage());
                return 1;
            }
        }
        StoreConfig config = StoreConfig.defaults(name, cluster, dataDir)
                .withTick(Duration.ofMillis(tickMs))
                .withSnapshotCount(snapshotCount, catchUpEntries)
                .withSyncMode(noFsync ? WalSyncMode.NO_FSYNC : WalSyncMode.FSYNC)
                .withElectionTicks(electionTicks)
                .withTraceOut(traceOut)
                .withRejoinAsLearner(rejoinAsLearner)
                .withQuotaBackendBytes(quotaBackendBytes)
                .withPeerTls(peerTls);
        if (noFsync) {
            err.println("kplane store: WARNING --unsafe-no-fsync: acknowledged writes can be lost on a machine crash");
        }
        if (restore != null) {
            try {
                byte[] state = io.kplane.server.BackupFile.read(restore);
                io.kplane.server.RestoredDataDir.seed(config, state, app.createStateMachine(dataDir));
                System.out.printf("kplane store: restored %s (%d bytes of state) into %s%n", restore, state.length, dataDir);
            } catch (IllegalArgumentException | IOException e) {
                err.println("kplane store: --restore: " + e.getMessage());
                return 1;
            }
        }
        StoreNode node;
        try {
            node = StoreNode.startTcp(config, app.createStateMachine(dataDir), listen);
        } catch (DataDirMismatchException | PortInUseException | WalCorruptedException e) {
            err.println("kplane store: " + e.getMessage());
            return 1;
        }
        AutoCloseable clientEndpoint = null;
        if (client != null) {
            try {
                clientEndpoint = app.startClientEndpoint(node, client,
                        new io.kplane.server.ClientEndpointOptions(metrics, certFile, keyFile, trustedCaFile, clientCertAuth));
            } catch (Exception e) {
                err.println("kplane store: cannot start client endpoint on " + listenClient + ": " + e.getMessage());
                node.close();
                return 1;
            }
        }
        long selfId = self.id();
        if (cluster.members().stream().anyMatch(m -> m.id() == selfId && m.name().isEmpty())) {
            // A member that joined (its record in the list it started from has no name yet; it is
            // named once published), also when it restarts. A member that bootstrapped the cluster
            // was named by --initial-cluster and does not publish, so its restarts add no conf change.
            publishWhenJoined(node, self.id(), client);
        }
        System.out.printf("kplane store: member %s (%x) of cluster %x, %d members, peers on %s, data in %s, state machine %s%s%n",
                name, self.id(), cluster.clusterId(), cluster.peers().size(), listen, dataDir, app.name(),
                client == null ? "" : ", clients on " + client);
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable endpoint = clientEndpoint;
        Thread hook = new Thread(() -> {
            System.out.println("kplane store: member " + name + " shutting down");
            closeQuietly(endpoint);
            node.close();
            stopped.countDown();
        }, "store-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        node.failure().whenComplete((v, e) -> {
            if (e != null) {
                System.err.println("kplane store: member " + name + " stopped after a fatal error: " + e);
                stopped.countDown();
            }
        });
        stopped.await();
        return node.failure().isCompletedExceptionally() ? 1 : 0;
    }

    /**
     * The cluster of a member restarting on its data dir, or null on a member's first start (no
     * identity in the data dir yet). The data dir says which cluster and member this is and which
     * members its log starts from, the log what changed since; {@code --initial-cluster} and
     * {@code --initial-cluster-state} are not consulted, as etcd ignores them once a data dir
     * exists: a member restarts even when no peer answers, and after members were added, removed
     * or moved, whatever the flags still say.
     */
    private ClusterSpec restartFromDataDir(ClusterSpec given) {
        DataDirIdentity.Recorded identity;
        ClusterMembers saved;
        try {
            identity = DataDirIdentity.recorded(dataDir);
            if (identity == null) {
                return null;
            }
            saved = ClusterMembers.saved(dataDir);
        } catch (IOException e) {
            throw new DataDirMismatchException("cannot read the member identity in " + dataDir + ": " + e.getMessage());
        }
        if (!identity.name().equals(name)) {
            throw new DataDirMismatchException("data dir " + dataDir + " belongs to member " + identity.name() + " ("
                    + Long.toHexString(identity.memberId()) + "), not to --name " + name);
        }
        if (saved == null) {
            // A data dir of an original member written before members were kept in it: the
            // --initial-cluster it bootstrapped with is the one whose cluster id it records.
            if (given.clusterId() != identity.clusterId()) {
                throw new DataDirMismatchException("data dir " + dataDir + " belongs to cluster "
                        + Long.toHexString(identity.clusterId()) + " but keeps no member list, and --initial-cluster "
                        + "describes cluster " + Long.toHexString(given.clusterId()) + "; start it with the "
                        + "--initial-cluster it was bootstrapped with");
            }
            saved = new ClusterMembers(given.clusterId(), given.members());
        }
        if (saved.clusterId() != identity.clusterId()
                || saved.members().stream().noneMatch(m -> m.id() == identity.memberId())) {
            throw new DataDirMismatchException("data dir " + dataDir + ": its member list (cluster "
                    + Long.toHexString(saved.clusterId()) + ") does not name its member " + Long.toHexString(identity.memberId())
                    + " of cluster " + Long.toHexString(identity.clusterId()));
        }
        System.out.printf("kplane store: member %s restarts from its data dir (cluster %x, member %x); "
                + "--initial-cluster and --initial-cluster-state are not consulted%n", name, saved.clusterId(), identity.memberId());
        return ClusterSpec.joined(given.token(), saved.clusterId(), saved.members(), identity.memberId(), name);
    }

    /**
     * The cluster to join as {@code self} (--initial-cluster-state existing, first start): asks the
     * other members of --initial-cluster, in order, for the member list and finds this member in it
     * by peer URL.
     */
    private ClusterSpec joinedCluster(ClusterSpec given, ClusterSpec.Peer self, PeerTls peerTls) {
        List<String> tried = new ArrayList<>();
        for (ClusterSpec.Peer p : given.peers()) {
            if (p.name().equals(self.name())) {
                continue;
            }
            ClusterMembers answer;
            try {
                answer = ClusterMembers.fetch(p.address(), p.tls() ? peerTls : null, 3000);
            } catch (IOException e) {
                tried.add(p.name() + " (" + p.peerUrl() + "): " + e.getMessage());
                continue;
            }
            Member me = answer.byPeerUrl(self.peerUrl());
            if (me == null) {
                throw new IllegalArgumentException("--initial-cluster-state existing: " + self.peerUrl()
                        + " is not a member of cluster " + Long.toHexString(answer.clusterId()) + " (as " + p.name()
                        + " lists it); add it first: etcdctl member add " + self.name() + " --peer-urls=" + self.peerUrl()
                        + " [--learner]");
            }
            return ClusterSpec.joined(given.token(), answer.clusterId(), answer.members(), me.id(), self.name());
        }
        throw new IllegalArgumentException("--initial-cluster-state existing: no other member of --initial-cluster "
                + "answered with the member list: " + (tried.isEmpty() ? "none listed besides " + self.name() : String.join("; ", tried)));
    }

    /**
     * The peer TLS of the --peer-* flags, or null without them; loads the certificates now so that a
     * bad file is a usage error, not a member that starts and reaches no peer.
     *
     * @throws IllegalArgumentException if the flags are incomplete, the files unusable, or the peer
     *                                  URLs' schemes do not match (https:// exactly with peer TLS)
     */
    private PeerTls peerTls(ClusterSpec cluster) {
        PeerTls tls = null;
        if (peerCertFile != null || peerKeyFile != null || peerTrustedCaFile != null || peerClientCertAuth) {
            tls = new PeerTls(peerCertFile, peerKeyFile, peerTrustedCaFile, peerClientCertAuth);
            tls.serverContext();
            tls.clientContext();
        }
        checkPeerSchemes(cluster, tls, "--initial-cluster");
        return tls;
    }

    /**
     * Peer TLS is all or nothing: every peer URL is https:// with it and http:// without. etcd would
     * ignore the certificates for an http URL; an error says so instead of running a member that
     * was meant to be private in the clear.
     */
    static void checkPeerSchemes(ClusterSpec cluster, PeerTls tls, String where) {
        for (ClusterSpec.Peer p : cluster.peers()) {
            if (p.tls() && tls == null) {
                throw new IllegalArgumentException("peer URL " + p.peerUrl() + " (" + p.name() + " in " + where
                        + ") is https: peer TLS needs --peer-cert-file and --peer-key-file");
            }
            if (!p.tls() && tls != null) {
                throw new IllegalArgumentException("--peer-cert-file is given but peer URL " + p.peerUrl() + " ("
                        + p.name() + " in " + where + ") is not https://; peers over TLS use https:// URLs");
            }
        }
    }

    /**
     * A joined member announces its name and client URL once the cluster has it (etcd's publish):
     * retried until a leader has committed it, in the background so the member serves meanwhile.
     */
    private void publishWhenJoined(StoreNode node, long selfId, InetSocketAddress client) {
        List<String> clientUrls = client == null ? List.of()
                : List.of((certFile != null ? "https://" : "http://") + client.getHostString() + ":" + client.getPort());
        MembershipChange publish = new MembershipChange(
                MembershipChange.Kind.PUBLISH,
                new Member(selfId, name, List.of(), clientUrls, false));
        Thread t = new Thread(() -> {
            for (int attempt = 1; !node.failure().isDone(); attempt++) {
                try {
                    node.changeMembership(publish).get(5, TimeUnit.SECONDS);
                    System.out.println("kplane store: member " + name + " published its name and client URLs " + clientUrls);
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (attempt % 10 == 0) {
                        System.err.println("kplane store: member " + name + " has not published yet (" + e + "); retrying");
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "store-publish");
        t.setDaemon(true);
        t.start();
    }

    private StoreApplication pickApplication() {
        List<StoreApplication> apps = applications();
        if (stateMachine == null) {
            if (apps.isEmpty()) {
                throw new IllegalArgumentException("no state machine is built into this kplane");
            }
            return apps.get(0);
        }
        return apps.stream().filter(a -> a.name().equals(stateMachine)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("--state-machine " + stateMachine + " is not built (available: "
                        + String.join(", ", apps.stream().map(StoreApplication::name).toList()) + ")"));
    }

    private static boolean hasClientEndpoint(StoreApplication app) {
        try {
            return app.getClass().getMethod("startClientEndpoint", io.kplane.server.Replica.class,
                    InetSocketAddress.class).getDeclaringClass() != StoreApplication.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    static InetSocketAddress parseAddress(String option, String value) {
        String v = value.startsWith("http://") ? value.substring(7) : value;
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " '" + value + "': expected host:port");
        }
        try {
            int port = Integer.parseInt(v.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(option + " '" + value + "': port out of range");
            }
            return new InetSocketAddress(v.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "': port is not a number");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("kplane store: closing client endpoint: " + e);
            }
        }
    }
}
