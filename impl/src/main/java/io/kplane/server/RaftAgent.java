package io.kplane.server;

import io.kplane.raft.ConfChange;
import io.kplane.raft.ConfChangeType;
import io.kplane.raft.ConfState;
import io.kplane.raft.Entry;
import io.kplane.raft.EntryType;
import io.kplane.raft.HardState;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.Message;
import io.kplane.raft.MessageType;
import io.kplane.raft.ProposalDroppedException;
import io.kplane.raft.RaftConfig;
import io.kplane.raft.RaftNode;
import io.kplane.raft.ReadState;
import io.kplane.raft.Ready;
import io.kplane.raft.Snapshot;
import io.kplane.raft.SnapshotMetadata;
import io.kplane.raft.StateType;
import io.kplane.time.NanoClock;
import io.kplane.wal.HardStateRecord;
import io.kplane.wal.RecoveredLog;
import io.kplane.wal.SnapshotFile;
import io.kplane.wal.WalEntry;
import io.kplane.wal.WriteAheadLog;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty cycle of one store member. Owns the {@link RaftNode}, its {@link MemoryStorage}, the
 * {@link WriteAheadLog} and the {@link StateMachine}; nothing else touches them.
 *
 * <p>Each {@link #doWork()}: ticks owed by the clock → drain peer messages → drain client requests
 * (proposals, read barriers batched into one ReadIndex, queries) → while the core has a Ready:
 * persist (one WAL sync) → send (one frame per peer) → apply → complete futures → advance →
 * maybe snapshot → expire timed-out requests.
 *
 * <p>Entries proposed through this member carry a 16-byte header (this member's id, a request id
 * whose high half is random per process start) so that the member that proposed can complete the
 * caller's future when it applies the entry, whether it is leader or follower.
 */
final class RaftAgent implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger(RaftAgent.class);
    static final int HEADER_BYTES = 16;
    private static final int MAX_REQUESTS_PER_CYCLE = 8192;
    private static final int MAX_TICKS_PER_CYCLE = 5;

    /** Work handed to the agent by other threads. */
    sealed interface Request permits Propose, ReadBarrier, Query, HandOver, ChangeMembers {
    }

    /** A runtime membership change (etcd's Cluster service); completes with the members once applied here. */
    record ChangeMembers(MembershipChange change, CompletableFuture<List<Member>> future) implements Request {
    }

    /**
     * Hand leadership to {@code target}, or (target 0) to the most up-to-date follower before a
     * clean shutdown; completes with the new leader or 0.
     */
    record HandOver(CompletableFuture<Long> future, long target) implements Request {
    }

    record Propose(byte[] command, CompletableFuture<byte[]> future) implements Request {
    }

    record ReadBarrier(CompletableFuture<Void> future) implements Request {
    }

    record Query<T>(Function<StateMachine, T> task, CompletableFuture<T> future) implements Request {
        void run(StateMachine sm) {
            try {
                future.complete(task.apply(sm));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }
    }

    private record PendingProposal(CompletableFuture<byte[]> future, long deadlineNs) {
    }

    private record PendingChange(CompletableFuture<List<Member>> future, long deadlineNs) {
    }

    private record PendingRead(List<CompletableFuture<Void>> futures, long deadlineNs, long index) {
    }

    /** A snapshot captured at {@code index} whose serialization and file write run on the snapshot thread. */
    private record PendingSnapshot(long index, long term, ConfState confState, StateMachine.Capture capture,
                                   CompletableFuture<byte[]> file, long startNs) {
    }

    private final StoreConfig config;
    /** Times ticks, request timeouts, snapshot progress and fsyncs; the only clock this agent reads. */
    private final NanoClock clock;
    private final long selfId;
    private final StateMachine stateMachine;
    private final PeerTransport transport;
    private final WriteAheadLog wal;
    private final MemoryStorage storage;
    private final RaftNode raft;
    /** The Raft trace ({@code --trace-out}), or null: flushed before each batch of messages goes to the transport. */
    private final NdjsonTraceWriter trace;
    final ManyToOneConcurrentArrayQueue<Message> peerInbox = new ManyToOneConcurrentArrayQueue<>(65536);
    final ManyToOneConcurrentArrayQueue<Request> requests = new ManyToOneConcurrentArrayQueue<>(65536);
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final long tickNs;
    private final long timeoutNs;
    private final long incarnation = (long) new SecureRandom().nextInt() << 32;
    private long nextRequest = 1;
    private final Map<Long, PendingProposal> proposals = new HashMap<>();
    /** Read batches waiting for their ReadState, by read sequence number. */
    private final Map<Long, PendingRead> readsAwaitingIndex = new LinkedHashMap<>();
    /** Read batches that know their index and wait for the apply to reach it. */
    private final PriorityQueue<PendingRead> readsAwaitingApply =
            new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private long nextReadSeq = 1;
    private final ArrayList<CompletableFuture<Void>> readBatch = new ArrayList<>();
    /** Peers that had messages while not connected: reported to the core after advance(). */
    private final ArrayDeque<Long> raftUnreachable = new ArrayDeque<>();
    /** Peers whose frame the transport dropped during the current Ready (a snapshot in it failed). */
    private final java.util.Set<Long> droppedFrames = new java.util.HashSet<>();

    /** File in the data dir while a member that lost its log re-joins (survives restarts until caught up). */
    static final String REJOIN_MARKER = "rejoining-as-learner";
    /**
     * True while a member that lost its log catches up: it does not tick (so never campaigns) and
     * drops vote requests (so never votes), because it may have voted in the current term and may
     * have acknowledged entries it no longer has. Ends once it has applied the commit index the
     * leader announced and knows that leader.
     */
    private boolean rejoining;
    private long rejoinCommit;

    private PendingSnapshot snapshotInFlight;
    private final ExecutorService snapshotWriter;
    private long lastTickNs;
    private long lastExpiryCheckNs;
    private long lastSizeCheckNs;
    private long dbSize = -1;
    private volatile long walSyncs;
    /** Durations of the group-commit syncs, for {@code etcd_disk_wal_fsync_duration_seconds}. */
    final FsyncHistogram fsyncs = new FsyncHistogram();
    private long appliedIndex;
    private long snapshotIndex;
    /** {@link #snapshotIndex} once the log is compacted to it, readable from any thread (tests, diagnostics). */
    private volatile long publishedSnapshotIndex;
    private long leaderId;
    private long term;
    private StateType role = StateType.FOLLOWER;
    private volatile ReplicaStatus status;
    /** The members (names, addresses) as of the applied index: changed by applied conf changes and snapshots. */
    private final LinkedHashMap<Long, Member> members = new LinkedHashMap<>();
    private final Map<Long, PendingChange> membershipChanges = new HashMap<>();
    /** This member applied its own removal: it stops a moment later. */
    private boolean removed;
    /** When (on {@link #clock}) this member applied its own removal. */
    private long removedAtNs;
    private final long clusterId;

    /**
     * @param bootstrappedBefore the data dir holds this member's identity, written only after its
     *                           WAL was bootstrapped: an empty WAL then means the log was lost
     */
    RaftAgent(StoreConfig config, StateMachine stateMachine, PeerTransport transport, boolean bootstrappedBefore) {
        this(config, stateMachine, transport, bootstrappedBefore, NanoClock.system());
    }

    RaftAgent(StoreConfig config, StateMachine stateMachine, PeerTransport transport, boolean bootstrappedBefore,
              NanoClock clock) {
        this.config = config;
        this.clock = clock;
        this.selfId = config.memberId();
        this.clusterId = config.cluster().clusterId();
        for (Member m : config.cluster().members()) {
            members.put(m.id(), m);
        }
        this.stateMachine = stateMachine;
        this.transport = transport;
        this.tickNs = config.tick().toNanos();
        this.timeoutNs = config.requestTimeout().toNanos();
        this.wal = WriteAheadLog.open(config.dataDir(), config.syncMode(), config.walSegmentBytes());
        this.snapshotWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-" + config.name());
            t.setDaemon(true);
            return t;
        });
        RecoveredLog recovered = wal.recovered();
        Path rejoinMarker = config.dataDir().resolve(REJOIN_MARKER);
        if (recovered.isEmpty() && bootstrappedBefore && !config.rejoinAsLearner() && !Files.exists(rejoinMarker)) {
            wal.close();
            throw new DataDirMismatchException("member " + config.name() + " (" + Long.toHexString(selfId)
                    + ") has already been bootstrapped: its data dir " + config.dataDir() + " has the member identity "
                    + "but no write-ahead log (lost or deleted). Starting with a fresh log could vote twice in a term and "
                    + "forget entries it acknowledged. Restore the data dir, remove the member and add it back, or "
                    + "start it with --rejoin-as-learner to catch up without taking part in elections");
        }
        if (recovered.isEmpty() && bootstrappedBefore) {
            // Re-join: no bootstrap snapshot of our own; the leader sends its snapshot. Until this
            // member has caught up it neither votes nor campaigns (see rejoining).
            markRejoining(rejoinMarker);
            this.storage = new MemoryStorage();
            this.rejoining = true;
            LOG.warn("member {} ({}) lost its log and re-joins with a fresh one: no votes, no campaigns until it has "
                    + "caught up with the leader", config.name(), Long.toHexString(selfId));
        } else if (recovered.isEmpty() && config.cluster().joining()) {
            // A member added at runtime (--initial-cluster-state existing): no bootstrap snapshot;
            // the leader sends its snapshot, and the configuration in it names this member.
            this.storage = new MemoryStorage();
            LOG.info("member {} ({}) joins the existing cluster {} with an empty log", config.name(),
                    Long.toHexString(selfId), Long.toHexString(clusterId));
        } else if (recovered.isEmpty()) {
            // A new member of a new cluster: everyone starts from the same bootstrap snapshot
            // (index 1, term 1, all initial members voters), written durably before anything else.
            long[] voters = config.cluster().ids().stream().mapToLong(Long::longValue).toArray();
            this.storage = MemoryStorage.bootstrap(ConfState.ofVoters(voters));
            Snapshot boot = storage.snapshot();
            wal.saveSnapshot(new SnapshotFile(boot.index(), boot.term(),
                    MessageCodec.encodeConfState(boot.metadata().confState()), boot.data()));
            HardState hs = storage.hardState();
            wal.saveHardState(new HardStateRecord(hs.term(), hs.vote(), hs.commit()));
            wal.sync();
            LOG.info("member {} ({}) bootstrapped a new log for cluster {} with {} members", config.name(),
                    Long.toHexString(selfId), Long.toHexString(clusterId), voters.length);
        } else {
            this.storage = new MemoryStorage();
            this.rejoining = Files.exists(rejoinMarker);
            SnapshotFile snap = recovered.snapshot();
            if (snap != null) {
                storage.applySnapshot(new Snapshot(new SnapshotMetadata(snap.index(), snap.term(),
                        MessageCodec.decodeConfState(snap.meta())), snap.data()));
                restoreSnapshotData(snap.data());
                snapshotIndex = snap.index();
            }
            List<Entry> entries = new ArrayList<>(recovered.entries().size());
            for (WalEntry e : recovered.entries()) {
                entries.add(new Entry(e.term(), e.index(), EntryType.values()[e.type()], e.data()));
            }
            storage.append(entries);
            HardStateRecord hs = recovered.hardState();
            long snapIndex = storage.snapshot().index();
            long snapTerm = storage.snapshot().term();
            if (hs.commit() < snapIndex || hs.term() < snapTerm) {
                // A snapshot holds only committed state, in a term at least its own: a hard state behind
                // it was not synced together with it (a crash between the two, as older versions wrote
                // them with two syncs). Raising commit to the snapshot is a fact; a raised term carries no
                // vote, and none can have been sent in it (a vote is synced before it is sent).
                LOG.warn("member {}: hard state (term {}, commit {}) is behind the snapshot at {} (term {}); raising it",
                        config.name(), hs.term(), hs.commit(), snapIndex, snapTerm);
                hs = hs.term() < snapTerm ? new HardStateRecord(snapTerm, 0, Math.max(hs.commit(), snapIndex))
                        : new HardStateRecord(hs.term(), hs.vote(), Math.max(hs.commit(), snapIndex));
            }
            storage.setHardState(new HardState(hs.term(), hs.vote(), hs.commit()));
            LOG.info("member {} ({}) recovered: snapshot at {}, {} entries, hard state term {} commit {}{}",
                    config.name(), Long.toHexString(selfId), snapshotIndex, entries.size(), hs.term(), hs.commit(),
                    recovered.truncatedTailBytes() > 0 ? ", torn tail of " + recovered.truncatedTailBytes() + " bytes dropped" : "");
        }
        this.appliedIndex = Math.max(snapshotIndex, storage.snapshot().index());
        RaftConfig rc = RaftConfig.builder(selfId)
                .electionTick(config.electionTicks())
                .heartbeatTick(config.heartbeatTicks())
                .preVote(true)
                .checkQuorum(true)
                .build();
        this.raft = RaftNode.create(rc, storage, config.seed());
        this.trace = openTrace(config);
        if (trace != null) {
            raft.setTracer(trace);
        }
        this.term = raft.term();
        publishStatus();
    }

    private static NdjsonTraceWriter openTrace(StoreConfig config) {
        if (config.traceOut() == null) {
            return null;
        }
        try {
            NdjsonTraceWriter t = NdjsonTraceWriter.open(config.traceOut(), config.name());
            LOG.info("member {} writes its Raft trace to {}", config.name(), config.traceOut());
            return t;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open the Raft trace file " + config.traceOut(), e);
        }
    }

    @Override
    public String roleName() {
        return "raft-" + config.name();
    }

    @Override
    public void onStart() {
        lastTickNs = clock.nanoTime();
        lastExpiryCheckNs = lastTickNs;
        syncTransport(); // the recovered membership may differ from the initial cluster the transport started with
    }

    ReplicaStatus status() {
        return status;
    }

    void addListener(LeadershipListener l) {
        listeners.add(l);
    }

    long selfId() {
        return selfId;
    }

    final CompletableFuture<Void> failure = new CompletableFuture<>();

    @Override
    public int doWork() {
        try {
            return dutyCycle();
        } catch (AgentTerminationException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // WAL I/O or fsync failure, or a broken invariant: continuing could lose acknowledged
            // data or diverge, so the member stops (as etcd does) and the process reports it.
            LOG.error("member {} stopping after a fatal error", config.name(), e);
            failure.completeExceptionally(e);
            throw new AgentTerminationException(e);
        }
    }

    private int dutyCycle() {
        int work = 0;
        long now = clock.nanoTime();
        int ticks = 0;
        while (now - lastTickNs >= tickNs) {
            lastTickNs += tickNs;
            if (rejoining || removed) {
                ticks++;
                lastTickNs = now;
            } else if (ticks++ < MAX_TICKS_PER_CYCLE) {
                raft.tick();
            } else {
                lastTickNs = now; // a long pause (GC, stop): do not replay a storm of ticks
            }
        }
        work += ticks;
        Message m;
        while ((m = peerInbox.poll()) != null) {
            // Malformed frames and local message types are dropped before they get here (Inbound);
            // what the core throws on now is a broken invariant (e.g. an append that conflicts with
            // a committed entry): carrying on could diverge, so it is fatal, as a panic is in etcd.
            work++;
            if (rejoining) {
                m = rejoinStep(m);
                if (m == null) {
                    continue;
                }
            }
            raft.step(m);
        }
        if (rejoining && rejoinCommit > 0 && appliedIndex >= rejoinCommit && raft.leaderId() != 0) {
            rejoining = false;
            try {
                Files.deleteIfExists(config.dataDir().resolve(REJOIN_MARKER));
                WriteAheadLog.syncDirectory(config.dataDir());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot remove the re-join marker", e);
            }
            LOG.info("member {} caught up to index {} after re-joining: it votes and campaigns again", config.name(),
                    rejoinCommit);
        }
        work += drainRequests(now);
        if (!outgoingSnapshots.isEmpty()) {
            work += pumpSnapshots(now);
        }
        while (raft.hasReady()) {
            handle(raft.ready());
            work++;
        }
        while (!raftUnreachable.isEmpty()) {
            raft.reportUnreachable(raftUnreachable.poll());
        }
        if (removed && now - removedAtNs > 1_000_000_000L) {
            // etcd: "the member has been permanently removed from the cluster" — it stops. The second
            // of grace lets the answer to the MemberRemove that removed it reach its client.
            ReplicaStoppedException removed = new ReplicaStoppedException("member " + config.name()
                    + " has been permanently removed from the cluster");
            LOG.warn("member {} stops: {}", config.name(), removed.getMessage());
            failure.completeExceptionally(removed);
            throw new AgentTerminationException(removed);
        }
        maybeSnapshot();
        if (now - lastExpiryCheckNs > 50_000_000L) {
            lastExpiryCheckNs = now;
            expire(now);
            if (now - lastSizeCheckNs > 1_000_000_000L) {
                lastSizeCheckNs = now;
                dbSize = wal.sizeBytes();
                publishStatus();
            }
        }
        return work;
    }

    /**
     * While re-joining: null for a vote request (dropped); notes how far the leader has committed.
     * The leader still believes this member holds what it acknowledged before its log was lost, so
     * its heartbeats announce a commit index beyond this member's log (a fatal inconsistency for a
     * member with its log): capped at what this member has, until the leader has repaired it.
     */
    private Message rejoinStep(Message m) {
        switch (m.type()) {
            case VOTE, PRE_VOTE -> {
                return null;
            }
            case APP -> rejoinCommit = Math.max(rejoinCommit, m.commit());
            case SNAP -> rejoinCommit = Math.max(rejoinCommit, m.snapshot().index());
            case HEARTBEAT -> {
                rejoinCommit = Math.max(rejoinCommit, m.commit());
                long last = raft.lastIndex();
                if (m.commit() > last) {
                    return m.withCommit(last);
                }
            }
            default -> { }
        }
        return m;
    }

    private static void markRejoining(Path marker) {
        try {
            if (!Files.exists(marker)) {
                Files.write(marker, new byte[0]);
                try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(marker,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    f.force(true);
                }
                WriteAheadLog.syncDirectory(marker.getParent());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the re-join marker " + marker, e);
        }
    }

    private int drainRequests(long now) {
        int n = 0;
        Request r;
        while (n < MAX_REQUESTS_PER_CYCLE && (r = requests.poll()) != null) {
            n++;
            if (r instanceof Propose p) {
                propose(p, now);
            } else if (r instanceof ReadBarrier rb) {
                readBatch.add(rb.future());
            } else if (r instanceof Query<?> q) {
                q.run(stateMachine);
            } else if (r instanceof HandOver h) {
                handOver(h, now);
            } else if (r instanceof ChangeMembers c) {
                changeMembers(c, now);
            }
        }
        if (!readBatch.isEmpty()) {
            List<CompletableFuture<Void>> batch = List.copyOf(readBatch);
            readBatch.clear();
            if (raft.leaderId() == 0) {
                fail(batch, new NoLeaderException("no leader: cannot serve a linearizable read right now"));
            } else {
                long seq = nextReadSeq++;
                byte[] ctx = ByteBuffer.allocate(16).putLong(selfId).putLong(seq).array();
                try {
                    raft.readIndex(ctx);
                    readsAwaitingIndex.put(seq, new PendingRead(batch, now + timeoutNs, 0));
                } catch (ProposalDroppedException e) {
                    fail(batch, new NoLeaderException("read dropped: " + e.getMessage()));
                }
            }
        }
        return n;
    }

    private void propose(Propose p, long now) {
        if (raft.leaderId() == 0) {
            p.future().completeExceptionally(new NoLeaderException("no leader: election in progress"));
            return;
        }
        long requestId = incarnation | (nextRequest++ & 0xffffffffL);
        byte[] data = new byte[HEADER_BYTES + p.command().length];
        ByteBuffer.wrap(data).putLong(selfId).putLong(requestId).put(p.command());
        try {
            raft.propose(data);
            proposals.put(requestId, new PendingProposal(p.future(), now + timeoutNs));
        } catch (ProposalDroppedException e) {
            p.future().completeExceptionally(new NoLeaderException("proposal dropped: " + e.getMessage()));
        }
    }

    private CompletableFuture<Long> handOver;
    private long handOverDeadlineNs;

    private void handOver(HandOver h, long now) {
        if (h.target() != 0) {
            if (raft.leaderId() != selfId) {
                h.future().completeExceptionally(new IllegalStateException("not leader"));
                return;
            }
            io.kplane.raft.Progress pr = raft.progress().get(h.target());
            if (h.target() == selfId || pr == null || pr.isLearner() || handOver != null) {
                h.future().complete(h.target() == selfId ? selfId : 0L);
                return;
            }
            raft.transferLeadership(h.target());
            handOver = h.future();
            handOverDeadlineNs = now + 2L * config.electionTicks() * tickNs;
            return;
        }
        if (raft.leaderId() != selfId) {
            h.future().complete(raft.leaderId());
            return;
        }
        long best = 0;
        long bestMatch = -1;
        for (Map.Entry<Long, io.kplane.raft.Progress> e : raft.progress().entrySet()) {
            io.kplane.raft.Progress pr = e.getValue();
            if (e.getKey() != selfId && !pr.isLearner() && pr.recentActive() && transport.isConnected(e.getKey())
                    && pr.match() > bestMatch) {
                best = e.getKey();
                bestMatch = pr.match();
            }
        }
        if (best == 0) {
            h.future().complete(0L);
            return;
        }
        raft.transferLeadership(best);
        handOver = h.future();
        // The transferee catches up, then campaigns at once: one election timeout is plenty.
        handOverDeadlineNs = now + (long) config.electionTicks() * tickNs;
    }

    private void handle(Ready rd) {
        if (rd.softState() != null) {
            onSoftState(rd.softState().leader(), rd.softState().role());
        }
        // 0. A leader sends its appends and heartbeats before its own disk write, so that the
        // followers' fsyncs overlap the leader's (Raft thesis §10.2.1; etcd does the same). Safe:
        // the entries of this Ready are applied — and clients answered — only after the sync below,
        // and a follower acknowledges only what it has persisted, so every acknowledged entry is on
        // a majority of disks. Everything else (votes, responses) still waits for the sync.
        List<Message> afterSync = rd.messages();
        List<Long> snapshotsSent = new ArrayList<>();
        if (raft.role() == StateType.LEADER && !afterSync.isEmpty()) {
            List<Message> early = new ArrayList<>();
            List<Message> late = new ArrayList<>();
            for (Message m : afterSync) {
                (m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT ? early : late).add(m);
            }
            snapshotsSent.addAll(send(early));
            afterSync = late;
        }
        // 1. Persist: everything of this Ready, then one sync (a snapshot's marker included, so it
        // never reaches the disk without the hard state that commits it).
        if (rd.snapshot() != null) {
            Snapshot s = rd.snapshot();
            wal.installSnapshot(new SnapshotFile(s.index(), s.term(),
                    MessageCodec.encodeConfState(s.metadata().confState()), s.data()));
        }
        for (Entry e : rd.entries()) {
            wal.append(new WalEntry(e.index(), e.term(), (byte) e.type().ordinal(), e.data()));
        }
        if (rd.hardState() != null) {
            HardState hs = rd.hardState();
            wal.saveHardState(new HardStateRecord(hs.term(), hs.vote(), hs.commit()));
        }
        long syncStart = clock.nanoTime();
        wal.sync();
        fsyncs.record(clock.nanoTime() - syncStart);
        if (rd.snapshot() != null) {
            storage.applySnapshot(rd.snapshot());
        }
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
            if (rd.hardState().term() != term) {
                term = rd.hardState().term();
                notifyListeners();
            }
        }
        storage.append(rd.entries());
        // 2. Send the rest: one frame per peer.
        snapshotsSent.addAll(send(afterSync));
        // 3. Apply.
        if (rd.snapshot() != null && rd.snapshot().index() > appliedIndex) {
            restoreSnapshotData(rd.snapshot().data());
            syncTransport();
            appliedIndex = rd.snapshot().index();
            snapshotIndex = appliedIndex;
            wal.releaseTo(appliedIndex);
            LOG.info("member {} installed snapshot at index {} (term {})", config.name(), appliedIndex, rd.snapshot().term());
        }
        for (Entry e : rd.committedEntries()) {
            apply(e);
        }
        for (ReadState rs : rd.readStates()) {
            ByteBuffer ctx = ByteBuffer.wrap(rs.context());
            if (rs.context().length != 16 || ctx.getLong() != selfId) {
                continue;
            }
            PendingRead pr = readsAwaitingIndex.remove(ctx.getLong());
            if (pr != null) {
                readsAwaitingApply.add(new PendingRead(pr.futures(), pr.deadlineNs(), rs.index()));
            }
        }
        completeReads();
        raft.advance(rd);
        for (long to : snapshotsSent) {
            if (!outgoingSnapshots.containsKey(to)) {
                raft.reportSnapshot(to, droppedFrames.contains(to) || !transport.isConnected(to));
            } // a chunked one is reported when its last chunk is out (pumpSnapshots)
        }
        droppedFrames.clear();
        publishStatus();
    }

    private List<Long> send(List<Message> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        if (trace != null) {
            // every message a peer can receive has its Send line written out first, even if we are killed next
            trace.flush();
        }
        TreeMap<Long, List<Message>> byPeer = new TreeMap<>();
        List<Long> snapshots = List.of();
        for (Message m : messages) {
            if (m.type().isLocal()) {
                continue;
            }
            byPeer.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
            if (m.type() == MessageType.SNAP) {
                if (snapshots.isEmpty()) {
                    snapshots = new ArrayList<>();
                }
                snapshots.add(m.to());
                LOG.info("member {} sends snapshot at index {} to {}", config.name(), m.snapshot().index(),
                        Long.toHexString(m.to()));
            }
        }
        for (Map.Entry<Long, List<Message>> e : byPeer.entrySet()) {
            List<Message> batch = e.getValue();
            for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
                Message m = it.next();
                if (m.type() == MessageType.SNAP && m.snapshot().data().length > config.snapshotChunkBytes()) {
                    it.remove(); // too big for one frame: streamed in chunks (pumpSnapshots)
                    startChunkedSnapshot(m);
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            boolean sent = transport.send(e.getKey(), MessageCodec.encodeBatch(batch));
            if (!sent) {
                droppedFrames.add(e.getKey());
            }
            if ((!sent || !transport.isConnected(e.getKey())) && !raftUnreachable.contains(e.getKey())) {
                raftUnreachable.add(e.getKey());
            }
        }
        return snapshots;
    }

    /** A snapshot being streamed to one peer in chunk frames, as fast as its connection takes them. */
    private static final class OutgoingSnapshot {
        final long to;
        final long transferId;
        final ByteBuffer whole;
        final long index;
        int offset;
        int chunks;
        long lastProgressNs;

        OutgoingSnapshot(long to, long transferId, ByteBuffer whole, long index, long nowNs) {
            this.lastProgressNs = nowNs;
            this.to = to;
            this.transferId = transferId;
            this.whole = whole;
            this.index = index;
        }
    }

    private final Map<Long, OutgoingSnapshot> outgoingSnapshots = new HashMap<>();
    private long nextTransferId = 1;

    private void startChunkedSnapshot(Message m) {
        ByteBuffer whole = MessageCodec.encodeBatch(List.of(m));
        OutgoingSnapshot previous = outgoingSnapshots.put(m.to(), new OutgoingSnapshot(m.to(),
                incarnation | nextTransferId++, whole, m.snapshot().index(), clock.nanoTime()));
        if (previous != null) {
            LOG.info("member {} replaces its snapshot transfer to {} (index {}) with a newer one", config.name(),
                    Long.toHexString(m.to()), previous.index);
        }
    }

    /**
     * Sends the next chunks of each outgoing snapshot while the peer's connection is writable; a
     * peer that takes nothing for an election timeout's worth of ticks x 10 (or disconnects) fails
     * the transfer: reported to Raft, which sends a snapshot again later.
     */
    private int pumpSnapshots(long now) {
        int work = 0;
        for (Iterator<OutgoingSnapshot> it = outgoingSnapshots.values().iterator(); it.hasNext(); ) {
            OutgoingSnapshot o = it.next();
            int total = o.whole.limit();
            boolean failed = false;
            while (o.offset < total) {
                int n = Math.min(config.snapshotChunkBytes(), total - o.offset);
                if (!transport.send(o.to, SnapshotChunks.chunk(o.transferId, o.whole, o.offset, n))) {
                    failed = !transport.isConnected(o.to)
                            || now - o.lastProgressNs > 10L * config.electionTicks() * tickNs;
                    break;
                }
                o.offset += n;
                o.chunks++;
                o.lastProgressNs = now;
                work++;
            }
            if (o.offset == total || failed) {
                it.remove();
                raft.reportSnapshot(o.to, failed);
                LOG.info("member {} {} snapshot at index {} to {} ({} bytes in {} chunks)", config.name(),
                        failed ? "failed to send" : "sent", o.index, Long.toHexString(o.to), total, o.chunks);
            }
        }
        return work;
    }

    private void apply(Entry e) {
        if (e.index() <= appliedIndex) {
            return;
        }
        appliedIndex = e.index();
        if (e.type() == EntryType.CONF_CHANGE) {
            applyMembership(e);
            return;
        }
        if (e.type() != EntryType.NORMAL || e.data().length == 0) {
            return; // a leader's no-op or a configuration change (applied by the core)
        }
        byte[] data = e.data();
        if (data.length < HEADER_BYTES) {
            LOG.error("entry {} has no request header ({} bytes); skipped", e.index(), data.length);
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        long origin = b.getLong();
        long requestId = b.getLong();
        byte[] command = new byte[data.length - HEADER_BYTES];
        b.get(command);
        byte[] response;
        try {
            response = stateMachine.apply(e.index(), command);
        } catch (RuntimeException ex) {
            // Requests the state machine refuses come back as error responses, not exceptions. An
            // exception is a failure in the middle of an apply: the state may be half-changed
            // (a txn with some of its puts done), so neither skipping the entry nor going on is
            // safe. Stop the member (etcd panics); a restart replays the WAL onto a clean state.
            if (origin == selfId) {
                PendingProposal p = proposals.remove(requestId);
                if (p != null) {
                    p.future().completeExceptionally(new ReplicaStoppedException("member " + config.name()
                            + " stopped: applying entry " + e.index() + " failed: " + ex));
                }
            }
            throw new IllegalStateException("applying entry " + e.index() + " failed; the state machine may be "
                    + "half-changed, so member " + config.name() + " stops", ex);
        }
        if (origin == selfId) {
            PendingProposal p = proposals.remove(requestId);
            if (p != null) {
                p.future().complete(response);
            }
        }
    }

    /** Restores a snapshot's data: the members it carries (if any) and the state machine. */
    private void restoreSnapshotData(byte[] data) {
        SnapshotMembers sm = SnapshotMembers.unwrap(data);
        if (sm.members() != null) {
            members.clear();
            for (Member m : sm.members()) {
                members.put(m.id(), m);
            }
        }
        if (sm.state().length > 0) {
            stateMachine.restore(sm.state());
        }
    }

    /**
     * Checks a membership change against the members as applied here (etcd's checks, with its
     * {@code --strict-reconfig-check} on, its default), then proposes it as a conf change whose
     * context names the proposer, the request and the member record after the change.
     */
    private void changeMembers(ChangeMembers r, long now) {
        MembershipChange change = r.change();
        Member m = change.member();
        Member current = members.get(m.id());
        ConfChangeType type;
        Member after;
        try {
            switch (change.kind()) {
                case ADD -> {
                    if (current != null) {
                        throw new MembershipException(MembershipException.Reason.ID_EXISTS, Long.toHexString(m.id()));
                    }
                    checkPeerUrlsFree(m.id(), m.peerUrls());
                    if (m.isLearner()) {
                        if (members.values().stream().filter(Member::isLearner).count() >= MAX_LEARNERS) {
                            throw new MembershipException(MembershipException.Reason.TOO_MANY_LEARNERS,
                                    "at most " + MAX_LEARNERS);
                        }
                    } else {
                        long voters = members.values().stream().filter(x -> !x.isLearner()).count();
                        long started = members.values().stream().filter(x -> !x.isLearner() && !x.name().isEmpty()).count();
                        long after1 = voters + 1;
                        // etcd's isReadyToAddVotingMember; a 1-member cluster may always add a second one
                        if (!(started == 1 && after1 == 2) && started < after1 / 2 + 1) {
                            throw new MembershipException(MembershipException.Reason.NOT_ENOUGH_STARTED,
                                    started + " of " + after1 + " voters started");
                        }
                    }
                    type = m.isLearner() ? ConfChangeType.ADD_LEARNER : ConfChangeType.ADD_VOTER;
                    after = m;
                }
                case REMOVE -> {
                    requireMember(current, m.id());
                    if (!current.isLearner()) {
                        long votersAfter = members.values().stream().filter(x -> !x.isLearner()).count() - 1;
                        long startedAfter = members.values().stream()
                                .filter(x -> !x.isLearner() && !x.name().isEmpty() && x.id() != m.id()).count();
                        if (votersAfter > 0 && startedAfter < votersAfter / 2 + 1) { // etcd's isReadyToRemoveVotingMember
                            throw new MembershipException(MembershipException.Reason.NOT_ENOUGH_STARTED,
                                    startedAfter + " of " + votersAfter + " voters started");
                        }
                    }
                    type = ConfChangeType.REMOVE_NODE;
                    after = current;
                }
                case UPDATE -> {
                    requireMember(current, m.id());
                    checkPeerUrlsFree(m.id(), m.peerUrls());
                    type = ConfChangeType.UPDATE_NODE;
                    after = current.withPeerUrls(m.peerUrls());
                }
                case PROMOTE -> {
                    requireMember(current, m.id());
                    if (!current.isLearner()) {
                        throw new MembershipException(MembershipException.Reason.NOT_LEARNER, Long.toHexString(m.id()));
                    }
                    if (raft.leaderId() != selfId) {
                        // only the leader knows how far the learner is: StoreNode forwards it there
                        throw new MembershipException(MembershipException.Reason.NOT_LEADER, "promote on the leader");
                    }
                    io.kplane.raft.Progress learner = raft.progress().get(m.id());
                    long leaderMatch = raft.progress().get(selfId).match();
                    if (learner == null || learner.match() < leaderMatch * LEARNER_READY_FRACTION) {
                        throw new MembershipException(MembershipException.Reason.LEARNER_NOT_READY, "learner at "
                                + (learner == null ? 0 : learner.match()) + ", leader at " + leaderMatch);
                    }
                    type = ConfChangeType.ADD_VOTER;
                    after = current.asVoter();
                }
                case PUBLISH -> {
                    requireMember(current, m.id());
                    type = ConfChangeType.UPDATE_NODE;
                    after = current.withAttributes(m.name(), m.clientUrls());
                }
                default -> throw new IllegalArgumentException(String.valueOf(change.kind()));
            }
        } catch (MembershipException e) {
            r.future().completeExceptionally(e);
            return;
        }
        if (raft.leaderId() == 0) {
            r.future().completeExceptionally(new NoLeaderException("no leader: election in progress"));
            return;
        }
        long requestId = incarnation | (nextRequest++ & 0xffffffffL);
        ByteBuffer ctx = ByteBuffer.allocate(16 + after.encodedSize()).putLong(selfId).putLong(requestId);
        after.encode(ctx);
        try {
            raft.proposeConfChange(new ConfChange(type, m.id(), ctx.array()));
            membershipChanges.put(requestId, new PendingChange(r.future(), now + timeoutNs));
        } catch (ProposalDroppedException e) {
            r.future().completeExceptionally(new NoLeaderException("membership change dropped: " + e.getMessage()));
        }
    }

    /** etcd 3.4 allows one learner at a time. */
    private static final int MAX_LEARNERS = 1;
    /** etcd promotes a learner only once its log is within 10% of the leader's. */
    private static final double LEARNER_READY_FRACTION = 0.9;

    private static void requireMember(Member current, long id) {
        if (current == null) {
            throw new MembershipException(MembershipException.Reason.MEMBER_NOT_FOUND, Long.toHexString(id));
        }
    }

    private void checkPeerUrlsFree(long id, List<String> urls) {
        for (Member other : members.values()) {
            if (other.id() != id && other.peerUrls().stream().anyMatch(urls::contains)) {
                throw new MembershipException(MembershipException.Reason.PEER_URL_EXISTS, String.join(",", urls));
            }
        }
    }

    /** A committed conf change: the member record in its context replaces ours; the transport follows. */
    private void applyMembership(Entry e) {
        ConfChange cc = ConfChange.decode(e.data());
        byte[] context = cc.context();
        long origin = 0;
        long requestId = 0;
        Member record = null;
        if (context.length >= 16) {
            ByteBuffer b = ByteBuffer.wrap(context);
            origin = b.getLong();
            requestId = b.getLong();
            record = Member.decode(b);
        }
        switch (cc.type()) {
            case ADD_VOTER, ADD_LEARNER, UPDATE_NODE -> {
                if (record != null) {
                    members.put(cc.nodeId(), record);
                } else if (!members.containsKey(cc.nodeId())) {
                    members.put(cc.nodeId(), new Member(cc.nodeId(), "", List.of(), List.of(),
                            cc.type() == ConfChangeType.ADD_LEARNER));
                } else if (cc.type() == ConfChangeType.ADD_VOTER) {
                    members.put(cc.nodeId(), members.get(cc.nodeId()).asVoter());
                }
            }
            case REMOVE_NODE -> members.remove(cc.nodeId());
        }
        LOG.info("member {} applied {} of {} at index {}: {} members", config.name(), cc.type(),
                Long.toHexString(cc.nodeId()), e.index(), members.size());
        syncTransport();
        if (cc.type() == ConfChangeType.REMOVE_NODE && cc.nodeId() == selfId && !removed) {
            removed = true;
            removedAtNs = clock.nanoTime();
        }
        if (origin == selfId) {
            PendingChange p = membershipChanges.remove(requestId);
            if (p != null) {
                p.future().complete(List.copyOf(members.values()));
            }
        }
        publishStatus();
    }

    /** Points the transport at the members as applied here (every member but this one). */
    private void syncTransport() {
        Map<Long, java.net.InetSocketAddress> peers = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (Member m : members.values()) {
            if (m.id() == selfId || m.peerUrls().isEmpty()) {
                continue;
            }
            try {
                peers.put(m.id(), m.peerAddress());
                names.put(m.id(), m.name().isEmpty() ? Long.toHexString(m.id()) : m.name());
            } catch (RuntimeException bad) {
                LOG.warn("member {} has an unusable peer URL {}: {}", Long.toHexString(m.id()), m.peerUrls(), bad.toString());
            }
        }
        transport.setPeers(peers, names);
    }

    private void completeReads() {
        while (!readsAwaitingApply.isEmpty() && readsAwaitingApply.peek().index() <= appliedIndex) {
            for (CompletableFuture<Void> f : readsAwaitingApply.poll().futures()) {
                f.complete(null);
            }
        }
    }

    private void onSoftState(long leader, StateType newRole) {
        boolean changed = leader != leaderId || newRole != role;
        long oldLeader = leaderId;
        leaderId = leader;
        role = newRole;
        term = raft.term();
        if (!changed) {
            return;
        }
        if (newRole == StateType.LEADER) {
            LOG.info("member {} became leader at term {}", config.name(), term);
        } else if (leader != 0 && leader != oldLeader) {
            ClusterSpec.Peer p = config.cluster().byId(leader);
            LOG.info("member {} is {} at term {}, leader {}", config.name(), newRole.name().toLowerCase(), term,
                    p == null ? Long.toHexString(leader) : p.name());
        } else if (leader == 0) {
            LOG.info("member {} is {} at term {}, no leader", config.name(), newRole.name().toLowerCase(), term);
        }
        if (handOver != null && leader != selfId && leader != 0) {
            handOver.complete(leader);
            handOver = null;
        }
        if (oldLeader != 0 && leader != oldLeader) {
            // ReadIndex requests in flight at the old leader may never be answered: fail them fast.
            for (PendingRead pr : readsAwaitingIndex.values()) {
                fail(pr.futures(), new NoLeaderException("leader changed while reading; retry"));
            }
            readsAwaitingIndex.clear();
        }
        notifyListeners();
    }

    private void notifyListeners() {
        boolean isLeader = leaderId == selfId;
        for (LeadershipListener l : listeners) {
            try {
                l.leadershipChanged(leaderId, term, isLeader);
            } catch (RuntimeException e) {
                LOG.warn("leadership listener failed: {}", e.toString());
            }
        }
    }

    /**
     * Every {@code snapshot-count} applied entries: capture the state machine here (cheap), then
     * serialize it and write its file on the snapshot thread while this one goes on (a state of
     * hundreds of MB took seconds to serialize and write, during which the member answered
     * nothing); when that is done, record it in the WAL, hand it to the Raft storage and compact
     * the log — as before, only then.
     */
    /** The index of the last snapshot this member took itself, once its log was compacted after it (any thread). */
    long lastSnapshotIndex() {
        return publishedSnapshotIndex;
    }

    private void maybeSnapshot() {
        if (snapshotInFlight != null) {
            if (snapshotInFlight.file().isDone()) {
                PendingSnapshot done = snapshotInFlight;
                snapshotInFlight = null;
                finishSnapshot(done);
            }
            return;
        }
        if (appliedIndex - snapshotIndex < config.snapshotCount()) {
            return;
        }
        long index = appliedIndex;
        long snapTerm = storage.term(index);
        ConfState confState = raft.confState();
        byte[] meta = MessageCodec.encodeConfState(confState);
        long startNs = clock.nanoTime();
        StateMachine.Capture capture = stateMachine.capture();
        List<Member> snapshotMembers = List.copyOf(members.values());
        CompletableFuture<byte[]> file = CompletableFuture.supplyAsync(() -> {
            byte[] data = SnapshotMembers.wrap(snapshotMembers, capture.serialize());
            wal.writeSnapshotFile(new SnapshotFile(index, snapTerm, meta, data));
            return data;
        }, snapshotWriter);
        snapshotInFlight = new PendingSnapshot(index, snapTerm, confState, capture, file, startNs);
    }

    private void finishSnapshot(PendingSnapshot p) {
        byte[] data;
        try {
            data = p.file().join(); // a failed serialization or file write is fatal, as a failed WAL write ...
        } catch (CompletionException e) {
            // ... unless a compaction or restore ran meanwhile: it cuts the history chains under the
            // serializer, which then fails ("snapshot size miscounted") — in ~8% of the races in
            // jcstress SnapshotCaptureStress.Compaction, which stopped the member. Such a capture is
            // dropped and retaken like one that serialized; only a valid capture's failure is fatal.
            if (!p.capture().stillValid()) {
                LOG.info("member {} drops its snapshot at index {}: compacted while it was serialized ({}); "
                        + "taking a new one", config.name(), p.index(), String.valueOf(e.getCause()));
                return;
            }
            throw e;
        }
        if (p.index() <= snapshotIndex || p.index() <= storage.snapshot().index()) {
            return; // a newer snapshot was installed from the leader meanwhile; the file goes with releaseTo
        }
        if (!p.capture().stillValid()) {
            LOG.info("member {} drops its snapshot at index {}: compacted while it was written; taking a new one",
                    config.name(), p.index());
            return;
        }
        wal.recordSnapshot(p.index(), p.term());
        storage.createSnapshot(p.index(), p.confState(), data);
        snapshotIndex = p.index();
        long compactTo = snapshotIndex - config.catchUpEntries();
        if (compactTo > storage.firstIndex()) {
            storage.compact(compactTo);
        }
        wal.releaseTo(snapshotIndex);
        publishedSnapshotIndex = snapshotIndex;
        LOG.info("member {} took snapshot at index {} ({} bytes, {} ms in the background), log compacted to {}",
                config.name(), snapshotIndex, data.length, (clock.nanoTime() - p.startNs()) / 1_000_000,
                storage.firstIndex());
    }

    private void expire(long now) {
        if (handOver != null && now - handOverDeadlineNs > 0) {
            handOver.complete(0L);
            handOver = null;
        }
        membershipChanges.values().removeIf(c -> {
            if (now - c.deadlineNs() > 0) {
                c.future().completeExceptionally(new TimeoutException("membership change not applied within "
                        + config.requestTimeout().toMillis() + " ms (outcome unknown)"));
                return true;
            }
            return false;
        });
        Iterator<PendingProposal> it = proposals.values().iterator();
        while (it.hasNext()) {
            PendingProposal p = it.next();
            if (now - p.deadlineNs() > 0) {
                it.remove();
                p.future().completeExceptionally(new TimeoutException(
                        "proposal not applied within " + config.requestTimeout().toMillis() + " ms (outcome unknown)"));
            }
        }
        Iterator<PendingRead> rit = readsAwaitingIndex.values().iterator();
        while (rit.hasNext()) {
            PendingRead pr = rit.next();
            if (now - pr.deadlineNs() > 0) {
                rit.remove();
                fail(pr.futures(), new TimeoutException("read barrier not confirmed within "
                        + config.requestTimeout().toMillis() + " ms"));
            }
        }
        readsAwaitingApply.removeIf(pr -> {
            if (now - pr.deadlineNs() > 0) {
                fail(pr.futures(), new TimeoutException("read barrier: apply did not reach index " + pr.index()));
                return true;
            }
            return false;
        });
    }

    private static void fail(List<CompletableFuture<Void>> futures, Throwable error) {
        for (CompletableFuture<Void> f : futures) {
            f.completeExceptionally(error);
        }
    }

    private void publishStatus() {
        status = new ReplicaStatus(selfId, clusterId, raft.leaderId(), raft.term(), raft.commitIndex(), appliedIndex,
                new ArrayList<>(members.values()), dbSize);
        walSyncs = wal.syncCount();
    }

    /** WAL syncs so far (as of the last handled Ready): one per Ready that had something to persist. */
    long walSyncs() {
        return walSyncs;
    }

    @Override
    public void onClose() {
        ReplicaStoppedException stopped = new ReplicaStoppedException("member " + config.name() + " stopped");
        for (PendingProposal p : proposals.values()) {
            p.future().completeExceptionally(stopped);
        }
        proposals.clear();
        for (PendingChange c : membershipChanges.values()) {
            c.future().completeExceptionally(stopped);
        }
        membershipChanges.clear();
        for (PendingRead pr : readsAwaitingIndex.values()) {
            fail(pr.futures(), stopped);
        }
        for (PendingRead pr : readsAwaitingApply) {
            fail(pr.futures(), stopped);
        }
        fail(readBatch, stopped);
        Request r;
        while ((r = requests.poll()) != null) {
            if (r instanceof Propose p) {
                p.future().completeExceptionally(stopped);
            } else if (r instanceof ReadBarrier rb) {
                rb.future().completeExceptionally(stopped);
            } else if (r instanceof Query<?> q) {
                q.future().completeExceptionally(stopped);
            } else if (r instanceof HandOver h) {
                h.future().complete(0L);
            } else if (r instanceof ChangeMembers c) {
                c.future().completeExceptionally(stopped);
            }
        }
        if (handOver != null) {
            handOver.complete(0L);
        }
        snapshotWriter.shutdown();
        if (snapshotInFlight != null) {
            // Its file must not be written into a closed WAL's directory behind a new incarnation's back.
            snapshotInFlight.file().handle((data, error) -> null).join();
            snapshotInFlight = null;
        }
        try {
            wal.close();
        } catch (RuntimeException e) {
            LOG.warn("closing WAL: {}", e.toString());
        }
        if (trace != null) {
            try {
                trace.close();
            } catch (java.io.IOException e) {
                LOG.warn("closing the Raft trace: {}", e.toString());
            }
        }
    }
}
