package io.kplane.server;

import io.kplane.raft.Message;
import io.kplane.time.NanoClock;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running store member: its data dir, Raft agent thread and peer transport, seen from outside
 * as a {@link Replica}. Start with {@link #start}, stop with {@link #close}.
 */
public final class StoreNode implements Replica, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreNode.class);

    private final StoreConfig config;
    private final StateMachine stateMachine;
    private final PeerTransport transport;
    private final DataDirIdentity identity;
    private final RaftAgent agent;
    private final AgentRunner runner;
    private final byte[] adminToken;
    private volatile boolean closed;
    private final SnapshotChunks.Assembler snapshotChunks;

    private StoreNode(StoreConfig config, StateMachine stateMachine, PeerTransport transport, NanoClock clock) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.transport = transport;
        this.snapshotChunks = new SnapshotChunks.Assembler(config.dataDir().resolve("snap"));
        this.identity = DataDirIdentity.claim(config.dataDir(), config.cluster().clusterId(), config.memberId(),
                config.name());
        try {
            this.adminToken = AdminToken.issue(config.dataDir());
            this.agent = new RaftAgent(config, stateMachine, transport, identity.existed(), clock);
            identity.recordIfNew(); // only now: the WAL holds the bootstrap state
        } catch (RuntimeException e) {
            identity.close();
            throw e;
        }
        // Spin briefly, then yield, then park up to 1 ms: low latency under load without burning a
        // core when idle (three members share two cores in the tests).
        this.runner = new AgentRunner(new BackoffIdleStrategy(20, 10, 1_000, 1_000_000),
                e -> LOG.error("raft agent of {} failed", config.name(), e), null, agent);
    }

    /**
     * Opens the data dir (checking its identity), recovers the WAL, starts the transport and the
     * agent thread.
     *
     * @throws DataDirMismatchException if the data dir belongs to another cluster or member
     * @throws PortInUseException       if the peer address is taken
     */
    public static StoreNode start(StoreConfig config, StateMachine stateMachine, PeerTransport transport) {
        return start(config, stateMachine, transport, NanoClock.system());
    }

    /**
     * As {@link #start(StoreConfig, StateMachine, PeerTransport)} with the member's clock: ticks, request
     * timeouts and the removal grace are measured on {@code clock} (tests move a {@code ManualNanoClock}).
     */
    public static StoreNode start(StoreConfig config, StateMachine stateMachine, PeerTransport transport,
                                  NanoClock clock) {
        StoreNode node = new StoreNode(config, stateMachine, transport, clock);
        try {
            transport.start(node.new Inbound());
        } catch (RuntimeException e) {
            node.agent.onClose();
            node.identity.close();
            throw e;
        }
        AgentRunner.startOnThread(node.runner);
        return node;
    }

    /** Starts a member on TCP: listens on its own address in the cluster spec (or {@code listen}). */
    public static StoreNode startTcp(StoreConfig config, StateMachine stateMachine, java.net.InetSocketAddress listen) {
        return startTcp(config, stateMachine, listen, NanoClock.system());
    }

    /** As {@link #startTcp(StoreConfig, StateMachine, java.net.InetSocketAddress)} with the member's clock. */
    public static StoreNode startTcp(StoreConfig config, StateMachine stateMachine, java.net.InetSocketAddress listen,
                                     NanoClock clock) {
        ClusterSpec spec = config.cluster();
        java.util.Map<Long, java.net.InetSocketAddress> peers = new java.util.HashMap<>();
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        for (ClusterSpec.Peer p : spec.peers()) {
            if (p.id() != config.memberId()) {
                peers.put(p.id(), p.address());
                names.put(p.id(), p.name());
            }
        }
        NettyPeerTransport t = new NettyPeerTransport(spec.clusterId(), config.memberId(),
                listen != null ? listen : spec.member(config.name()).address(), peers, names, config.peerTls(), clock);
        return start(config, stateMachine, t, clock);
    }

    /** Completes exceptionally if the agent stopped after a fatal error (e.g. a failed fsync). */
    public CompletableFuture<Void> failure() {
        return agent.failure;
    }

    /** Snapshot chunk frames this member has received (a snapshot bigger than one chunk comes in several). */
    public long snapshotChunksReceived() {
        return snapshotChunks.chunksReceived.get();
    }

    /** The index of the last snapshot this member took, once its log was compacted after it (0: none yet); for tests and diagnostics. */
    public long lastSnapshotIndex() {
        return agent.lastSnapshotIndex();
    }

    /** WAL syncs this member has done (one per group commit), for tests and diagnostics. */
    public long walSyncCount() {
        return agent.walSyncs();
    }

    public StoreConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        offer(new RaftAgent.Propose(command.clone(), f), f);
        return f;
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        offer(new RaftAgent.ReadBarrier(f), f);
        return f;
    }

    @Override
    public ReplicaStatus status() {
        return agent.status();
    }

    @Override
    public <T> CompletableFuture<T> query(Function<StateMachine, T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        offer(new RaftAgent.Query<>(task, f), f);
        return f;
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        agent.addListener(listener);
    }

    @Override
    public FsyncHistogram walFsyncs() {
        return agent.fsyncs;
    }

    @Override
    public CompletableFuture<Long> moveLeader(long target) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        offer(new RaftAgent.HandOver(f, target), f);
        return f;
    }

    @Override
    public CompletableFuture<List<Member>> changeMembership(MembershipChange change) {
        CompletableFuture<List<Member>> local = changeMembershipHere(change);
        if (change.kind() != MembershipChange.Kind.PROMOTE) {
            return local;
        }
        return local.handle((members, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (cause instanceof MembershipException m && m.reason() == MembershipException.Reason.NOT_LEADER) {
                return promoteOnLeader(change.member().id());
            }
            return error == null ? CompletableFuture.completedFuture(members) : CompletableFuture.<List<Member>>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<List<Member>> changeMembershipHere(MembershipChange change) {
        CompletableFuture<List<Member>> f = new CompletableFuture<>();
        offer(new RaftAgent.ChangeMembers(change, f), f);
        return f;
    }

    /** How long a forwarded promote may take: the leader proposes and commits a conf change. */
    private static final int FORWARD_TIMEOUT_MS = 10_000;

    /**
     * Forwards a promote to the leader's peer port (etcd's {@code /members/promote/<id>}), on a
     * thread of its own: it is rare, and blocking IO has no place on the agent or gRPC threads.
     */
    private CompletableFuture<List<Member>> promoteOnLeader(long learnerId) {
        ReplicaStatus s = status();
        Member leader = s.members().stream().filter(m -> m.id() == s.leaderId()).findFirst().orElse(null);
        if (s.leaderId() == 0 || leader == null || leader.id() == config.memberId()) {
            return CompletableFuture.failedFuture(new NoLeaderException("no leader to forward the promote to"));
        }
        CompletableFuture<List<Member>> f = new CompletableFuture<>();
        Thread forward = new Thread(() -> {
            try {
                byte[] answer = PeerCall.call(leader.peerAddress(), config.peerTls(), PeerWire.OP_PROMOTE,
                        ByteBuffer.allocate(8).putLong(learnerId).array(), FORWARD_TIMEOUT_MS);
                f.complete(Member.decodeAll(ByteBuffer.wrap(answer)));
            } catch (PeerCall.Refused e) {
                f.completeExceptionally(refusal(e.getMessage()));
            } catch (java.io.IOException | RuntimeException e) {
                f.completeExceptionally(new NoLeaderException("could not forward the promote to leader "
                        + leader.name() + " at " + leader.peerUrls().get(0) + ": " + e.getMessage()));
            }
        }, "promote-forward-" + config.name());
        forward.setDaemon(true);
        forward.start();
        return f;
    }

    /** The leader's refusal, "MembershipException: REASON: detail", as the exception it was there. */
    private static RuntimeException refusal(String answer) {
        String prefix = MembershipException.class.getSimpleName() + ": ";
        if (answer.startsWith(prefix)) {
            String rest = answer.substring(prefix.length());
            int colon = rest.indexOf(": ");
            try {
                return new MembershipException(MembershipException.Reason.valueOf(colon < 0 ? rest : rest.substring(0, colon)),
                        colon < 0 ? "" : rest.substring(colon + 2));
            } catch (IllegalArgumentException unknownReason) {
                // fall through: not one of ours
            }
        }
        return new NoLeaderException("the leader refused the promote: " + answer);
    }

    private void offer(RaftAgent.Request r, CompletableFuture<?> f) {
        if (closed || agent.failure.isDone()) {
            f.completeExceptionally(new ReplicaStoppedException("member " + config.name() + " is stopped"));
        } else if (!agent.requests.offer(r)) {
            f.completeExceptionally(new IllegalStateException("member " + config.name()
                    + " is overloaded: request queue full"));
        } else if (closed) {
            // Raced with close(): the agent may already have drained its queue for the last time.
            f.completeExceptionally(new ReplicaStoppedException("member " + config.name() + " is stopped"));
        }
    }

    /**
     * Stops the member. A leader first hands leadership to its most up-to-date follower (as etcd
     * does), so that a clean restart costs the cluster no election timeout.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!agent.failure.isDone() && status().isLeader() && config.cluster().peers().size() > 1) {
            CompletableFuture<Long> handedTo = new CompletableFuture<>();
            if (agent.requests.offer(new RaftAgent.HandOver(handedTo, 0))) {
                try {
                    long to = handedTo.get(5, java.util.concurrent.TimeUnit.SECONDS);
                    ClusterSpec.Peer p = config.cluster().byId(to);
                    if (to != 0) {
                        LOG.info("member {} handed leadership to {} before shutting down", config.name(),
                                p == null ? Long.toHexString(to) : p.name());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.warn("member {} could not hand over leadership before shutting down: {}", config.name(), e.toString());
                }
            }
        }
        closed = true;
        transport.close();
        snapshotChunks.close();
        runner.close(); // runs onClose on the agent thread: fails pending requests, closes the WAL
        identity.close();
    }

    /** Traffic from the transport, handed to the agent. */
    private final class Inbound implements InboundListener {
        @Override
        public void onRaftBatch(long from, ByteBuffer body) {
            List<Message> batch;
            try {
                if (SnapshotChunks.isChunk(body)) {
                    body = snapshotChunks.accept(from, body);
                    if (body == null) {
                        return; // more chunks to come
                    }
                }
                batch = MessageCodec.decodeBatch(body);
            } catch (IllegalArgumentException e) {
                LOG.warn("dropping malformed frame from {}: {}", Long.toHexString(from), e.getMessage());
                return;
            }
            for (Message m : batch) {
                if (m.type().isLocal()) {
                    LOG.warn("dropping message of local type {} from {}: not accepted from the network", m.type(),
                            Long.toHexString(from));
                    continue;
                }
                if (m.from() != from || m.to() != config.memberId()) {
                    LOG.warn("dropping misaddressed message {} (from {} to {}) on connection from {}", m.type(),
                            Long.toHexString(m.from()), Long.toHexString(m.to()), Long.toHexString(from));
                    continue;
                }
                if (!agent.peerInbox.offer(m)) {
                    return; // inbox full: drop, Raft retransmits
                }
            }
        }

        @Override
        public CompletableFuture<byte[]> onAdminRequest(byte op, byte[] request) {
            if (op == PeerWire.OP_MEMBERS) {
                ReplicaStatus s = status();
                return CompletableFuture.completedFuture(new ClusterMembers(s.clusterId(), s.members()).encode());
            }
            if (op == PeerWire.OP_PROMOTE) {
                if (request.length != 8) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("promote takes a u64 member id"));
                }
                long learner = ByteBuffer.wrap(request).getLong();
                // Here only, never forwarded again: a member that lost leadership meanwhile answers NOT_LEADER.
                return changeMembershipHere(new MembershipChange(MembershipChange.Kind.PROMOTE,
                        new Member(learner, "", List.of(), List.of(), false))).thenApply(Member::encodeAll);
            }
            if (!AdminToken.presentedIn(adminToken, request)) {
                LOG.warn("member {} refused an admin request without its admin token", config.name());
                return CompletableFuture.failedFuture(new SecurityException(
                        "unauthenticated: admin requests must carry the token in " + config.dataDir().resolve(AdminToken.FILE)));
            }
            byte[] body = java.util.Arrays.copyOfRange(request, AdminToken.BYTES, request.length);
            return switch (op) {
                case PeerWire.OP_PROPOSE -> propose(body);
                case PeerWire.OP_STATUS -> {
                    ReplicaStatus s = status();
                    yield CompletableFuture.completedFuture(new AdminStatus(s.memberId(), s.leaderId(), s.term(),
                            s.commitIndex(), s.appliedIndex()).encode());
                }
                case PeerWire.OP_READ_BARRIER -> readBarrier().thenCompose(v -> query(StateMachine::appliedIndex))
                        .thenApply(i -> ByteBuffer.allocate(8).putLong(i).array());
                default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown admin op " + op));
            };
        }
    }
}
