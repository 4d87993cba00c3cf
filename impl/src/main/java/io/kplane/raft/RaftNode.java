package io.kplane.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The Raft consensus core for one node: a deterministic state machine in the style of etcd-io/raft, with no
 * threads, I/O or clocks. Time is {@link #tick()}, input is {@link #step(Message)} and the request methods, and
 * output is a {@link Ready}.
 *
 * <h2>Contract</h2>
 * Call {@link #ready()} when {@link #hasReady()}; persist its snapshot, hard state and entries; then send its
 * messages; then apply its snapshot and committed entries; then {@link #advance(Ready)} with the same object.
 * {@code ready()} throws if the previous Ready was not advanced, {@code advance} throws if given any other
 * object. Messages that promise durability (vote grants, append acknowledgements) only ever leave in the same
 * Ready as the entries/hard state they depend on, so persisting before sending is enough. Configuration-change
 * entries are applied to the membership by {@code advance}; the application only records {@link #confState()}
 * in its snapshots.
 *
 * <h2>Single writer</h2>
 * Not thread-safe: exactly one thread (the node's agent) calls every method.
 *
 * <h2>Tracing</h2>
 * {@link #setTracer(RaftTracer)} installs an observer that is told every step at the granularity of
 * {@code tla/Raft.tla}'s actions (see {@link RaftTraceEvent}); without one each hook is a null check. The
 * tracer only observes: the node behaves identically with or without it.
 *
 * <h2>For the model checker</h2>
 * {@link #copy()} deep-copies all state (log, progress, pending messages, storage if it is a
 * {@link MemoryStorage}, and the random source if it is a {@link SplitMix64}); {@link #fingerprint()} hashes the
 * behaviour-relevant state (not the random generator's internal state).
 */
public final class RaftNode {

    /** Context of vote requests sent because of a leadership transfer: they bypass the leader lease. */
    public static final byte[] CAMPAIGN_TRANSFER = "CampaignTransfer".getBytes(StandardCharsets.UTF_8);

    private enum VoteResult { PENDING, WON, LOST }

    private final long id;
    private final RaftConfig cfg;
    /** The protocol's decision points; {@link RaftRules#STANDARD} except in the simulation and the model checker. */
    private final RaftRules rules;
    private final RandomGenerator rng;

    private long term;
    private long vote;
    private long lead;
    private StateType state = StateType.FOLLOWER;
    private RaftLog log;
    /** The configuration (voters and learners) and, on the leader, replication progress. Sorted for determinism. */
    private TreeMap<Long, Progress> prs = new TreeMap<>();
    private TreeMap<Long, Boolean> votes = new TreeMap<>();
    private ArrayList<Message> msgs = new ArrayList<>();
    private ArrayList<ReadState> readStates = new ArrayList<>();
    private ArrayList<Message> pendingReadIndexMessages = new ArrayList<>();
    private ReadOnlyQueue readOnly = new ReadOnlyQueue();
    /** A read-index request arrived: one heartbeat round for all of them goes out with the next Ready. */
    private boolean readRoundNeeded;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    private long leadTransferee;
    private long pendingConfIndex;
    private boolean isLearner;

    private SoftState prevSoft;
    private HardState prevHard;
    private Ready outstanding;
    /** Observer of spec-level steps (trace export); null = none. Not copied by {@link #copy()}. */
    private RaftTracer tracer;

    /**
     * Starts (or restarts) a node from its storage: hard state, the snapshot's configuration and the log. Conf
     * changes between the snapshot and {@code config.applied()} are re-applied to the membership.
     */
    public RaftNode(RaftConfig config, RaftStorage storage, RandomGenerator rng) {
        this(config, storage, rng, RaftRules.STANDARD);
    }

    /**
     * As {@link #RaftNode(RaftConfig, RaftStorage, RandomGenerator)}, applying {@code rules} at the protocol's
     * decision points: the seam through which the simulation and the model checker inject known bugs.
     */
    public RaftNode(RaftConfig config, RaftStorage storage, RandomGenerator rng, RaftRules rules) {
        this.id = config.id();
        this.cfg = config;
        this.rules = Objects.requireNonNull(rules, "rules");
        this.rng = rng;
        this.log = new RaftLog(storage, rules);
        RaftStorage.InitialState is = storage.initialState();
        applyConfState(is.confState());
        HardState hs = is.hardState();
        if (!hs.isEmpty()) {
            if (hs.commit() < log.committed || hs.commit() > log.lastIndex()) {
                throw new IllegalStateException("hard state commit " + hs.commit() + " is out of range ["
                        + log.committed + ", " + log.lastIndex() + "]");
            }
            log.committed = hs.commit();
            term = hs.term();
            vote = hs.vote();
        }
        if (config.applied() > 0) {
            long applied = config.applied();
            if (applied > log.committed) {
                throw new IllegalStateException("applied " + applied + " is beyond the commit index " + log.committed);
            }
            if (applied > log.applied) {
                for (Entry e : log.slice(Math.max(log.firstIndex(), log.applied + 1), applied + 1, Long.MAX_VALUE)) {
                    if (e.type() == EntryType.CONF_CHANGE) applyConfChangeToMembership(ConfChange.decode(e.data()));
                }
                log.applied = applied;
            }
        }
        becomeFollower(term, 0);
        prevSoft = softState();
        prevHard = hardState();
    }

    /** Convenience: a node with a {@link SplitMix64} random source seeded with {@code seed}. */
    public static RaftNode create(RaftConfig config, RaftStorage storage, long seed) {
        return new RaftNode(config, storage, new SplitMix64(seed));
    }

    /** Convenience: a node with a {@link SplitMix64} random source and the given rules (see {@link RaftRules}). */
    public static RaftNode create(RaftConfig config, RaftStorage storage, long seed, RaftRules rules) {
        return new RaftNode(config, storage, new SplitMix64(seed), rules);
    }

    private RaftNode(RaftNode o, RaftStorage storageCopy, RandomGenerator rngCopy) {
        id = o.id;
        cfg = o.cfg;
        rules = o.rules;
        rng = rngCopy;
        term = o.term;
        vote = o.vote;
        lead = o.lead;
        state = o.state;
        log = o.log.copy(storageCopy);
        for (Map.Entry<Long, Progress> e : o.prs.entrySet()) prs.put(e.getKey(), e.getValue().copy());
        votes = new TreeMap<>(o.votes);
        msgs = new ArrayList<>(o.msgs);
        readStates = new ArrayList<>(o.readStates);
        pendingReadIndexMessages = new ArrayList<>(o.pendingReadIndexMessages);
        readOnly = o.readOnly.copy();
        readRoundNeeded = o.readRoundNeeded;
        electionElapsed = o.electionElapsed;
        heartbeatElapsed = o.heartbeatElapsed;
        randomizedElectionTimeout = o.randomizedElectionTimeout;
        leadTransferee = o.leadTransferee;
        pendingConfIndex = o.pendingConfIndex;
        isLearner = o.isLearner;
        prevSoft = o.prevSoft;
        prevHard = o.prevHard;
        outstanding = o.outstanding;
    }

    /**
     * A deep copy: mutating the copy (or its storage, see {@link #storage()}) never affects this node.
     *
     * @throws UnsupportedOperationException unless the storage is a {@link MemoryStorage} and the random source a
     *                                       {@link SplitMix64}
     */
    public RaftNode copy() {
        if (!(log.storage instanceof MemoryStorage ms)) {
            throw new UnsupportedOperationException("copy() needs a MemoryStorage, not " + log.storage.getClass().getName());
        }
        if (!(rng instanceof SplitMix64 r)) {
            throw new UnsupportedOperationException("copy() needs a SplitMix64 random source, not " + rng.getClass().getName());
        }
        return new RaftNode(this, ms.copy(), r.copy());
    }

    // ------------------------------------------------------------------ getters

    public long id() { return id; }
    public long term() { return term; }
    public long vote() { return vote; }
    public StateType role() { return state; }
    public long leaderId() { return lead; }
    public long commitIndex() { return log.committed; }
    public long appliedIndex() { return log.applied; }
    public long firstIndex() { return log.firstIndex(); }
    public long lastIndex() { return log.lastIndex(); }
    public long lastTerm() { return log.lastTerm(); }
    public RaftConfig config() { return cfg; }
    public RaftStorage storage() { return log.storage; }
    public long leadTransferee() { return leadTransferee; }
    public boolean isLearner() { return isLearner; }
    public int electionElapsed() { return electionElapsed; }
    public int randomizedElectionTimeout() { return randomizedElectionTimeout; }

    /** Term of entry i, or 0 if it is not in the log (compacted or beyond the end). */
    public long termAt(long i) {
        return log.term(i);
    }

    /** Entries [lo, hi) of the log, including those not yet persisted. */
    public List<Entry> entries(long lo, long hi) {
        return log.slice(lo, hi, Long.MAX_VALUE);
    }

    public HardState hardState() {
        return new HardState(term, vote, log.committed);
    }

    public SoftState softState() {
        return new SoftState(lead, state);
    }

    /** The current membership (as applied). */
    public ConfState confState() {
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        for (Map.Entry<Long, Progress> e : prs.entrySet()) (e.getValue().isLearner ? learners : voters).add(e.getKey());
        return new ConfState(voters, learners);
    }

    /** Replication progress of each member (meaningful on the leader); a copy. */
    public Map<Long, Progress> progress() {
        TreeMap<Long, Progress> out = new TreeMap<>();
        prs.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** Messages produced but not yet handed out in a Ready (for inspection). */
    public List<Message> pendingMessages() {
        return List.copyOf(msgs);
    }

    // ------------------------------------------------------------------ tracing

    /**
     * Installs (or removes, with null) the observer of spec-level steps. Installing one emits
     * {@link RaftTraceEvent.Kind#RESTART} with the state the node started from (term, vote, commit, the terms of
     * its log), so call it right after construction. The tracer never influences the node.
     */
    public void setTracer(RaftTracer t) {
        tracer = t;
        if (t != null) trace(RaftTraceEvent.Kind.RESTART, null, 0, false);
    }

    private void trace(RaftTraceEvent.Kind kind, Message m) {
        trace(kind, m, 0, false);
    }

    private void trace(RaftTraceEvent.Kind kind, Message m, int count, boolean transfer) {
        List<Long> voters = switch (kind) {
            case RESTART, TIMEOUT, START_ELECTION, BECOME_LEADER, ADVANCE_COMMIT_INDEX, APPLY_CONF_CHANGE -> voterIds();
            default -> List.of();
        };
        long[] runs = NO_RUNS;
        long snapIndex = 0;
        long snapTerm = 0;
        if (kind == RaftTraceEvent.Kind.RESTART) {
            snapIndex = log.firstIndex() - 1;
            snapTerm = log.term(snapIndex);
            runs = logRuns();
        }
        tracer.onEvent(new RaftTraceEvent(kind, id, m, term, state, log.committed, log.lastIndex(), vote, voters,
                count, runs, snapIndex, snapTerm, transfer));
    }

    private static final long[] NO_RUNS = new long[0];

    private List<Long> voterIds() {
        List<Long> out = new ArrayList<>(prs.size());
        for (Map.Entry<Long, Progress> e : prs.entrySet()) if (!e.getValue().isLearner) out.add(e.getKey());
        return out;
    }

    /** Terms of entries firstIndex..lastIndex as (term, count) pairs. */
    private long[] logRuns() {
        long first = log.firstIndex();
        long last = log.lastIndex();
        long[] out = new long[8];
        int n = 0;
        for (long i = first; i <= last; i++) {
            long t = log.term(i);
            if (n > 0 && out[n - 2] == t) {
                out[n - 1]++;
                continue;
            }
            if (n == out.length) out = Arrays.copyOf(out, n * 2);
            out[n++] = t;
            out[n++] = 1;
        }
        return Arrays.copyOf(out, n);
    }

    private void traceCommitFrom(long before) {
        if (tracer != null && log.committed > before) trace(RaftTraceEvent.Kind.ADVANCE_COMMIT_INDEX, null);
    }

    // ------------------------------------------------------------------ inputs

    /** Advances logical time by one tick: election timeout for followers/candidates, heartbeats for leaders. */
    public void tick() {
        if (state == StateType.LEADER) tickHeartbeat();
        else tickElection();
    }

    /** Starts an election now (PreVote first if configured). */
    public void campaign() {
        stepInternal(Message.of(MessageType.HUP, id, id));
    }

    /**
     * Proposes data to be appended to the log. On a follower the proposal is forwarded to the leader.
     *
     * @throws ProposalDroppedException if there is no leader, a transfer is in progress, or we were removed
     */
    public void propose(byte[] data) {
        stepInternal(Message.of(MessageType.PROP, id, 0).withEntries(List.of(Entry.normal(0, 0, data))));
    }

    /** Proposes a membership change; only one may be pending (unapplied) at a time. */
    public void proposeConfChange(ConfChange cc) {
        stepInternal(Message.of(MessageType.PROP, id, 0)
                .withEntries(List.of(new Entry(0, 0, EntryType.CONF_CHANGE, cc.encode()))));
    }

    /**
     * Requests a linearizable read point. A {@link ReadState} with this context appears in a later Ready; the read
     * may be served once the applied index reaches its index. Concurrent requests share one heartbeat round.
     * If leadership changes before the read is confirmed, no ReadState appears: callers need a timeout and retry.
     *
     * @param context non-empty, unique per outstanding request
     * @throws ProposalDroppedException if there is no leader
     */
    public void readIndex(byte[] context) {
        if (context == null || context.length == 0) throw new IllegalArgumentException("read index context must be non-empty");
        stepInternal(Message.of(MessageType.READ_INDEX, 0, 0).withContext(context.clone()));
    }

    /** Asks the leader to hand leadership to {@code transferee} (forwarded if we are a follower). */
    public void transferLeadership(long transferee) {
        stepInternal(Message.of(MessageType.TRANSFER_LEADER, transferee, id));
    }

    /** Transport report: messages to {@code peer} could not be delivered. */
    public void reportUnreachable(long peer) {
        stepInternal(Message.of(MessageType.UNREACHABLE, peer, id));
    }

    /** Transport report: the snapshot sent to {@code peer} was delivered ({@code failed=false}) or lost. */
    public void reportSnapshot(long peer, boolean failed) {
        stepInternal(Message.of(MessageType.SNAP_STATUS, peer, id).withReject(failed, 0));
    }

    /**
     * Feeds a message received from a peer. A forwarded proposal or read that cannot be accepted is dropped
     * silently (like a lost message); only the local request methods throw {@link ProposalDroppedException}.
     *
     * @throws IllegalArgumentException for local-only message types (use {@link #campaign()}, {@link #tick()},
     *                                  {@link #reportSnapshot}, {@link #reportUnreachable})
     */
    public void step(Message m) {
        if (m.type().isLocal()) throw new IllegalArgumentException("local message type " + m.type() + " cannot be stepped from the network");
        if (tracer != null) trace(RaftTraceEvent.Kind.RECEIVE, m);
        if (m.type().isResponse() && !prs.containsKey(m.from()) && m.type() != MessageType.READ_INDEX_RESP) {
            return; // response from a peer that is not (or no longer) a member
        }
        try {
            stepInternal(m);
        } catch (ProposalDroppedException e) {
            // A proposal or read forwarded by a peer could not be accepted here; the peer's client times out and
            // retries, exactly as if the message had been lost.
        }
    }

    // ------------------------------------------------------------------ Ready / advance

    /** True if {@link #ready()} would return something to do (and no Ready is outstanding). */
    public boolean hasReady() {
        if (outstanding != null) return false;
        if (!softState().equals(prevSoft)) return true;
        HardState hs = hardState();
        if (!hs.isEmpty() && !hs.equals(prevHard)) return true;
        return log.unstableSnapshot != null || !msgs.isEmpty() || log.hasUnstable() || log.hasNextCommitted()
                || !readStates.isEmpty() || (readRoundNeeded && state == StateType.LEADER);
    }

    /**
     * Hands out the pending work. See {@link Ready} for what to do with it.
     *
     * @throws IllegalStateException if the previous Ready has not been advanced
     */
    public Ready ready() {
        if (outstanding != null) throw new IllegalStateException("ready() called again before advance() of the previous Ready");
        flushReadRound();
        SoftState soft = softState();
        HardState hs = hardState();
        Ready rd = new Ready(
                soft.equals(prevSoft) ? null : soft,
                hs.equals(prevHard) ? null : hs,
                List.copyOf(log.unstable),
                log.unstableSnapshot,
                List.copyOf(msgs),
                log.nextCommitted(),
                List.copyOf(readStates));
        msgs.clear();
        readStates.clear();
        prevSoft = soft;
        outstanding = rd;
        return rd;
    }

    /**
     * Acknowledges that {@code rd} was persisted, sent and applied.
     *
     * @throws IllegalStateException if {@code rd} is not the Ready returned by the last {@link #ready()}
     */
    public void advance(Ready rd) {
        if (rd == null || rd != outstanding) {
            throw new IllegalStateException(outstanding == null ? "advance() without an outstanding Ready"
                    : "advance() with a Ready that is not the one returned by ready()");
        }
        outstanding = null;
        if (rd.hardState() != null) prevHard = rd.hardState();
        if (rd.snapshot() != null) {
            log.stableSnapTo(rd.snapshot().index());
            if (log.applied < rd.snapshot().index()) log.applied = rd.snapshot().index();
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            log.stableTo(last.index(), last.term());
        }
        List<Entry> ce = rd.committedEntries();
        if (!ce.isEmpty()) {
            long lastApplied = ce.get(ce.size() - 1).index();
            if (lastApplied > log.applied) {
                log.appliedTo(lastApplied);
                for (Entry e : ce) {
                    if (e.type() == EntryType.CONF_CHANGE) applyConfChange(ConfChange.decode(e.data()));
                }
            }
        }
    }

    private void flushReadRound() {
        if (!readRoundNeeded) return;
        readRoundNeeded = false;
        byte[] ctx = readOnly.lastPendingContext();
        if (state == StateType.LEADER && ctx != null) bcastHeartbeat(ctx);
    }

    // ------------------------------------------------------------------ state transitions

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = cfg.electionTick() + rng.nextInt(cfg.electionTick());
        leadTransferee = 0;
        votes.clear();
        long last = log.lastIndex();
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            Progress p = new Progress(0, last + 1, new Inflights(cfg.maxInflightMsgs(), cfg.maxInflightBytes()), e.getValue().isLearner);
            if (e.getKey() == id) p.match = last;
            e.setValue(p);
        }
        pendingConfIndex = 0;
        readOnly = new ReadOnlyQueue();
        readRoundNeeded = false;
        pendingReadIndexMessages.clear();
    }

    private void becomeFollower(long t, long leader) {
        reset(t);
        lead = leader;
        state = StateType.FOLLOWER;
        if (tracer != null) trace(RaftTraceEvent.Kind.BECOME_FOLLOWER, null);
    }

    private void becomeCandidate() {
        if (state == StateType.LEADER) throw new IllegalStateException("invalid transition leader -> candidate");
        reset(term + 1);
        vote = id;
        state = StateType.CANDIDATE;
    }

    private void becomePreCandidate() {
        if (state == StateType.LEADER) throw new IllegalStateException("invalid transition leader -> pre-candidate");
        // PreVote changes neither the term nor the vote.
        votes.clear();
        lead = 0;
        state = StateType.PRE_CANDIDATE;
    }

    private void becomeLeader() {
        if (state == StateType.FOLLOWER) throw new IllegalStateException("invalid transition follower -> leader");
        reset(term);
        lead = id;
        state = StateType.LEADER;
        Progress self = prs.get(id);
        self.becomeReplicate();
        self.recentActive = true;
        pendingConfIndex = log.lastIndex();
        appendToLog(List.of(Entry.normal(0, 0, null)));
        if (tracer != null) trace(RaftTraceEvent.Kind.BECOME_LEADER, null);
        maybeCommit();
    }

    private boolean promotable() {
        Progress p = prs.get(id);
        return p != null && !p.isLearner && log.unstableSnapshot == null;
    }

    // ------------------------------------------------------------------ step

    private void send(Message m) {
        if (m.from() == 0) m = m.withFrom(id);
        switch (m.type()) {
            case VOTE, VOTE_RESP, PRE_VOTE, PRE_VOTE_RESP -> {
                if (m.term() == 0) throw new IllegalStateException("term must be set for " + m.type());
            }
            case PROP, READ_INDEX -> { } // forwarded requests carry no term
            default -> m = m.withTerm(term);
        }
        if (tracer != null) trace(RaftTraceEvent.Kind.SEND, m);
        msgs.add(m);
    }

    private void stepInternal(Message m) {
        if (m.term() == 0) {
            // local message
        } else if (m.term() > term) {
            if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
                boolean force = Arrays.equals(m.context(), CAMPAIGN_TRANSFER);
                boolean inLease = cfg.checkQuorum() && lead != 0 && electionElapsed < cfg.electionTick();
                if (!force && inLease) {
                    return; // we heard from a leader recently: do not let a partitioned node disrupt it
                }
            }
            if (m.type() == MessageType.PRE_VOTE) {
                // never change our term in response to a PreVote
            } else if (m.type() == MessageType.PRE_VOTE_RESP && !m.reject()) {
                // the term is bumped when the PreVote wins
            } else if (m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT || m.type() == MessageType.SNAP) {
                becomeFollower(m.term(), m.from());
            } else {
                becomeFollower(m.term(), 0);
            }
        } else if (m.term() < term) {
            if (m.type() == MessageType.APP && !rules.rejectsAppendFromLowerTerm()) {
                handleAppendEntries(m);
            } else if ((cfg.checkQuorum() || cfg.preVote())
                    && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APP)) {
                // A stale leader (e.g. after a partition) learns about the new term from this response.
                send(Message.of(MessageType.APP_RESP, id, m.from()));
            } else if (m.type() == MessageType.PRE_VOTE) {
                send(Message.of(MessageType.PRE_VOTE_RESP, id, m.from()).withTerm(term).withReject(true, 0));
            }
            return;
        }

        switch (m.type()) {
            case HUP -> hup(false);
            case VOTE, PRE_VOTE -> handleVote(m);
            default -> {
                switch (state) {
                    case LEADER -> stepLeader(m);
                    case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
                    case FOLLOWER -> stepFollower(m);
                }
            }
        }
    }

    private void handleVote(Message m) {
        boolean canVote = rules.mayGrantVote(m.from(), vote, lead, m.type() == MessageType.PRE_VOTE && m.term() > term);
        if (canVote && log.isUpToDate(m.index(), m.logTerm())) {
            // A vote response carries the term of the request: for PreVote that is the future term.
            send(Message.of(m.type().voteResponse(), id, m.from()).withTerm(m.term()));
            if (m.type() == MessageType.VOTE) {
                electionElapsed = 0;
                vote = m.from();
            }
        } else {
            send(Message.of(m.type().voteResponse(), id, m.from()).withTerm(term).withReject(true, 0));
        }
    }

    private boolean hasUnappliedConfChange() {
        if (log.committed <= log.applied) return false;
        for (Entry e : log.slice(Math.max(log.applied + 1, log.firstIndex()), Math.min(log.committed, log.lastIndex()) + 1, Long.MAX_VALUE)) {
            if (e.type() == EntryType.CONF_CHANGE) return true;
        }
        return false;
    }

    private void hup(boolean transfer) {
        if (state == StateType.LEADER) return;
        if (!promotable()) return;
        if (hasUnappliedConfChange()) return; // the configuration we would campaign in is about to change
        if (transfer) campaign(false, true);
        else campaign(cfg.preVote(), false);
    }

    private void campaign(boolean pre, boolean transfer) {
        long voteTerm;
        MessageType type;
        StateType before = state;
        if (pre) {
            becomePreCandidate();
            type = MessageType.PRE_VOTE;
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            type = MessageType.VOTE;
            voteTerm = term;
        }
        if (tracer != null) {
            trace(!pre && !transfer && before == StateType.PRE_CANDIDATE ? RaftTraceEvent.Kind.START_ELECTION
                    : RaftTraceEvent.Kind.TIMEOUT, null, 0, transfer);
        }
        if (poll(id, true) == VoteResult.WON) {
            // single-voter cluster
            if (pre) campaign(false, false);
            else becomeLeader();
            return;
        }
        long li = log.lastIndex();
        long lt = log.lastTerm();
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            if (e.getKey() == id || e.getValue().isLearner) continue;
            Message m = Message.of(type, id, e.getKey()).withTerm(voteTerm).withLog(lt, li);
            if (transfer) m = m.withContext(CAMPAIGN_TRANSFER);
            send(m);
        }
    }

    private VoteResult poll(long from, boolean granted) {
        votes.putIfAbsent(from, granted);
        int voters = 0;
        int yes = 0;
        int no = 0;
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            if (e.getValue().isLearner) continue;
            voters++;
            Boolean v = votes.get(e.getKey());
            if (v == null) continue;
            if (v) yes++;
            else no++;
        }
        int q = voters / 2 + 1;
        if (yes >= q) return VoteResult.WON;
        if (voters - no < q) return VoteResult.LOST;
        return VoteResult.PENDING;
    }

    private void stepFollower(Message m) {
        switch (m.type()) {
            case PROP -> {
                if (lead == 0) throw new ProposalDroppedException("proposal dropped: no leader at term " + term);
                if (cfg.disableProposalForwarding()) throw new ProposalDroppedException("proposal dropped: forwarding disabled");
                send(m.withTo(lead));
            }
            case APP -> {
                electionElapsed = 0;
                lead = m.from();
                handleAppendEntries(m);
            }
            case HEARTBEAT -> {
                if (rules.heartbeatResetsElectionTimer()) electionElapsed = 0;
                lead = m.from();
                handleHeartbeat(m);
            }
            case SNAP -> {
                electionElapsed = 0;
                lead = m.from();
                handleSnapshot(m);
            }
            case TRANSFER_LEADER -> {
                if (lead != 0) send(m.withTo(lead));
            }
            case TIMEOUT_NOW -> hup(true);
            case READ_INDEX -> {
                if (lead == 0) throw new ProposalDroppedException("read index dropped: no leader at term " + term);
                send(m.withTo(lead));
            }
            case READ_INDEX_RESP -> readStates.add(new ReadState(m.index(), m.context()));
            default -> { }
        }
    }

    private void stepCandidate(Message m) {
        MessageType myResp = state == StateType.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
        switch (m.type()) {
            case PROP -> throw new ProposalDroppedException("proposal dropped: election in progress at term " + term);
            case READ_INDEX -> throw new ProposalDroppedException("read index dropped: election in progress at term " + term);
            case APP -> {
                becomeFollower(m.term(), m.from());
                handleAppendEntries(m);
            }
            case HEARTBEAT -> {
                becomeFollower(m.term(), m.from());
                handleHeartbeat(m);
            }
            case SNAP -> {
                becomeFollower(m.term(), m.from());
                handleSnapshot(m);
            }
            default -> {
                if (m.type() != myResp) return;
                VoteResult r = poll(m.from(), !m.reject());
                if (r == VoteResult.WON) {
                    if (state == StateType.PRE_CANDIDATE) {
                        campaign(false, false);
                    } else {
                        becomeLeader();
                        bcastAppend();
                    }
                } else if (r == VoteResult.LOST) {
                    becomeFollower(term, 0);
                }
            }
        }
    }

    private void stepLeader(Message m) {
        switch (m.type()) {
            case BEAT -> {
                bcastHeartbeat(readOnly.lastPendingContext());
                return;
            }
            case CHECK_QUORUM -> {
                if (tracer != null) trace(RaftTraceEvent.Kind.CHECK_QUORUM, null);
                if (!quorumActive()) becomeFollower(term, 0);
                for (Map.Entry<Long, Progress> e : prs.entrySet()) {
                    if (e.getKey() != id) e.getValue().recentActive = false;
                }
                return;
            }
            case PROP -> {
                handleProposal(m);
                return;
            }
            case READ_INDEX -> {
                if (isSingleVoter()) {
                    Message resp = readIndexResponse(m, log.committed);
                    if (resp != null) send(resp);
                    return;
                }
                if (log.term(log.committed) != term) {
                    // Our commit index may be stale until an entry of our own term commits.
                    pendingReadIndexMessages.add(m);
                    return;
                }
                acceptReadIndex(m);
                return;
            }
            default -> { }
        }
        Progress pr = prs.get(m.from());
        if (pr == null) return;
        switch (m.type()) {
            case APP_RESP -> handleAppendResponse(m, pr);
            case HEARTBEAT_RESP -> {
                pr.recentActive = true;
                pr.probeSent = false;
                // A full window whose appends (or their responses) were lost would stall replication to
                // this peer for good: the heartbeat response proves it is alive, so free one slot and
                // let the next append go (etcd-io/raft does the same).
                if (pr.state == ProgressState.REPLICATE && pr.inflights.full()) pr.inflights.freeFirstOne();
                if (pr.match < log.lastIndex() || pr.state == ProgressState.PROBE) sendAppend(m.from());
                if (cfg.readOnlyOption() != ReadOnlyOption.SAFE || m.context().length == 0) return;
                var acks = readOnly.ack(m.from(), m.context());
                if (acks == null || !isQuorum(acks)) return;
                for (ReadOnlyQueue.Status s : readOnly.advance(m.context())) {
                    Message resp = readIndexResponse(s.request, s.index);
                    if (resp != null) send(resp);
                }
            }
            case SNAP_STATUS -> {
                if (pr.state != ProgressState.SNAPSHOT) return;
                if (m.reject()) pr.pendingSnapshot = 0;
                pr.becomeProbe();
                // wait for a heartbeat response (or the append response) before probing again
                pr.probeSent = true;
            }
            case UNREACHABLE -> {
                if (pr.state == ProgressState.REPLICATE) pr.becomeProbe();
            }
            case TRANSFER_LEADER -> {
                if (pr.isLearner) return;
                long transferee = m.from();
                if (leadTransferee != 0) {
                    if (leadTransferee == transferee) return;
                    leadTransferee = 0;
                }
                if (transferee == id) return;
                electionElapsed = 0; // the transfer must finish within one election timeout
                leadTransferee = transferee;
                if (pr.match == log.lastIndex()) sendTimeoutNow(transferee);
                else sendAppend(transferee);
            }
            default -> { }
        }
    }

    private void handleProposal(Message m) {
        boolean local = m.from() == id;
        if (m.entries().isEmpty()) throw new IllegalArgumentException("empty proposal");
        if (!prs.containsKey(id)) throw new ProposalDroppedException("proposal dropped: this node was removed from the cluster");
        if (leadTransferee != 0) {
            throw new ProposalDroppedException("proposal dropped: leadership transfer to " + leadTransferee + " in progress");
        }
        List<Entry> es = new ArrayList<>(m.entries());
        for (int i = 0; i < es.size(); i++) {
            Entry e = es.get(i);
            if (e.type() != EntryType.CONF_CHANGE) continue;
            String refused = null;
            if (pendingConfIndex > log.applied) {
                refused = "a configuration change is already pending (index " + pendingConfIndex + ", applied " + log.applied + ")";
            } else {
                ConfChange cc = ConfChange.decode(e.data());
                refused = checkConfChange(cc);
            }
            if (refused != null) {
                if (local) throw new ProposalDroppedException("conf change dropped: " + refused);
                es.set(i, Entry.normal(0, 0, null)); // keep the batch's shape, like etcd-io/raft
            } else {
                pendingConfIndex = log.lastIndex() + i + 1;
            }
        }
        appendToLog(es);
        if (tracer != null) trace(RaftTraceEvent.Kind.CLIENT_REQUEST, null, es.size(), false);
        maybeCommit();
        bcastAppend();
    }

    private String checkConfChange(ConfChange cc) {
        Progress p = prs.get(cc.nodeId());
        switch (cc.type()) {
            case ADD_LEARNER -> {
                if (p != null && !p.isLearner) return "demoting voter " + cc.nodeId() + " needs joint consensus (not supported)";
            }
            case REMOVE_NODE -> {
                if (p == null) return "node " + cc.nodeId() + " is not a member";
                if (!p.isLearner && votersCount() == 1) return "cannot remove the last voter";
            }
            case UPDATE_NODE -> {
                if (p == null) return "node " + cc.nodeId() + " is not a member";
            }
            default -> { }
        }
        return null;
    }

    /** Appends entries of the current term to the leader's log (the caller then tries to commit). */
    private void appendToLog(List<Entry> es) {
        long li = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(es.size());
        for (int i = 0; i < es.size(); i++) stamped.add(es.get(i).at(term, li + 1 + i));
        log.append(stamped);
        prs.get(id).maybeUpdate(log.lastIndex());
    }

    private void handleAppendResponse(Message m, Progress pr) {
        pr.recentActive = true;
        if (m.reject()) {
            long nextProbe = m.rejectHint();
            if (m.logTerm() > 0) nextProbe = log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
            if (pr.maybeDecrTo(m.index(), nextProbe)) {
                if (pr.state == ProgressState.REPLICATE) pr.becomeProbe();
                sendAppend(m.from());
            }
            return;
        }
        boolean oldPaused = pr.isPaused();
        if (pr.maybeUpdate(m.index()) || (pr.match == m.index() && pr.state == ProgressState.PROBE)) {
            switch (pr.state) {
                case PROBE -> pr.becomeReplicate();
                case SNAPSHOT -> {
                    if (pr.match >= pr.pendingSnapshot || pr.match + 1 >= log.firstIndex()) {
                        pr.becomeProbe();
                        if (pr.match + 1 >= log.firstIndex()) pr.becomeReplicate();
                    }
                }
                case REPLICATE -> pr.inflights.freeLE(m.index());
            }
            if (maybeCommit()) {
                releasePendingReadIndexMessages();
                bcastAppend();
            } else if (oldPaused) {
                sendAppend(m.from());
            }
            while (maybeSendAppend(m.from(), false)) {
                // keep the pipeline full
            }
            if (m.from() == leadTransferee && pr.match == log.lastIndex()) sendTimeoutNow(m.from());
        }
    }

    private void handleAppendEntries(Message m) {
        if (m.index() < log.committed) {
            send(Message.of(MessageType.APP_RESP, id, m.from()).withIndex(log.committed));
            return;
        }
        long before = log.committed;
        long last = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        traceCommitFrom(before);
        if (last >= 0) {
            send(Message.of(MessageType.APP_RESP, id, m.from()).withIndex(last));
        } else {
            long[] hint = log.findConflictByTerm(Math.min(m.index(), log.lastIndex()), m.logTerm());
            send(Message.of(MessageType.APP_RESP, id, m.from()).withIndex(m.index()).withReject(true, hint[0])
                    .withLog(hint[1], m.index()));
        }
    }

    private void handleHeartbeat(Message m) {
        long before = log.committed;
        log.commitTo(m.commit());
        traceCommitFrom(before);
        send(Message.of(MessageType.HEARTBEAT_RESP, id, m.from()).withContext(m.context()));
    }

    private void handleSnapshot(Message m) {
        Snapshot s = m.snapshot();
        long before = log.committed;
        boolean restored = s != null && restore(s);
        traceCommitFrom(before);
        if (restored) {
            send(Message.of(MessageType.APP_RESP, id, m.from()).withIndex(log.lastIndex()));
        } else {
            send(Message.of(MessageType.APP_RESP, id, m.from()).withIndex(log.committed));
        }
    }

    private boolean restore(Snapshot s) {
        if (s.index() <= log.committed) return false;
        if (state != StateType.FOLLOWER) {
            becomeFollower(term + 1, 0);
            return false;
        }
        if (!s.metadata().confState().contains(id) && prs.containsKey(id)) {
            // A member is never handed a configuration without itself; a joining node (not yet in its own
            // configuration) accepts it and learns about its addition from the entries that follow.
            return false;
        }
        if (log.matchTerm(s.index(), s.term())) {
            // we already have the entries: just fast-forward the commit index
            log.commitTo(s.index());
            return false;
        }
        log.restore(s);
        prs.clear();
        applyConfState(s.metadata().confState());
        long last = log.lastIndex();
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            Progress p = new Progress(0, last + 1, new Inflights(cfg.maxInflightMsgs(), cfg.maxInflightBytes()), e.getValue().isLearner);
            if (e.getKey() == id) p.maybeUpdate(last);
            e.setValue(p);
        }
        return true;
    }

    private void releasePendingReadIndexMessages() {
        if (pendingReadIndexMessages.isEmpty()) return;
        if (log.term(log.committed) != term) return;
        List<Message> pending = new ArrayList<>(pendingReadIndexMessages);
        pendingReadIndexMessages.clear();
        for (Message m : pending) acceptReadIndex(m);
    }

    private void acceptReadIndex(Message m) {
        if (cfg.readOnlyOption() == ReadOnlyOption.SAFE) {
            readOnly.add(log.committed, m);
            readOnly.ack(id, m.context());
            readRoundNeeded = true; // one heartbeat round for every request until the next Ready
        } else {
            Message resp = readIndexResponse(m, log.committed);
            if (resp != null) send(resp);
        }
    }

    private Message readIndexResponse(Message req, long index) {
        if (req.from() == 0 || req.from() == id) {
            readStates.add(new ReadState(index, req.context()));
            return null;
        }
        return Message.of(MessageType.READ_INDEX_RESP, id, req.from()).withIndex(index).withContext(req.context());
    }

    // ------------------------------------------------------------------ replication

    private void bcastAppend() {
        for (Long to : prs.keySet()) {
            if (to != id) sendAppend(to);
        }
    }

    private void sendAppend(long to) {
        maybeSendAppend(to, true);
    }

    private boolean maybeSendAppend(long to, boolean sendIfEmpty) {
        Progress pr = prs.get(to);
        if (pr == null || pr.isPaused()) return false;
        if (pr.next < log.firstIndex()) return maybeSendSnapshot(to, pr);
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        List<Entry> ents = (pr.state != ProgressState.REPLICATE || !pr.inflights.full())
                ? log.entriesFrom(pr.next, cfg.maxSizePerMsg()) : List.of();
        if (ents.isEmpty() && !sendIfEmpty) return false;
        send(Message.of(MessageType.APP, id, to).withLog(prevTerm, prevIndex).withEntries(ents).withCommit(log.committed));
        long bytes = 0;
        for (Entry e : ents) bytes += e.size();
        pr.sentEntries(ents.size(), bytes);
        return true;
    }

    private boolean maybeSendSnapshot(long to, Progress pr) {
        if (!pr.recentActive) return false; // do not ship a snapshot to a peer that may be down
        Snapshot snap = log.snapshot();
        if (snap.isEmpty()) throw new IllegalStateException("need a snapshot for " + to + " but none is available");
        pr.becomeSnapshot(snap.index());
        send(Message.of(MessageType.SNAP, id, to).withSnapshot(snap));
        return true;
    }

    private void bcastHeartbeat(byte[] ctx) {
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            if (e.getKey() == id) continue;
            long commit = Math.min(e.getValue().match, log.committed);
            Message m = Message.of(MessageType.HEARTBEAT, id, e.getKey()).withCommit(commit);
            if (ctx != null) m = m.withContext(ctx);
            send(m);
        }
    }

    private void sendTimeoutNow(long to) {
        send(Message.of(MessageType.TIMEOUT_NOW, id, to));
    }

    private boolean maybeCommit() {
        int n = votersCount();
        if (n == 0) return false;
        long[] matches = new long[n];
        int k = 0;
        for (Progress p : prs.values()) {
            if (!p.isLearner) matches[k++] = p.match;
        }
        Arrays.sort(matches);
        long mci = matches[n - (n / 2 + 1)];
        long before = log.committed;
        boolean advanced = log.maybeCommit(mci, term);
        traceCommitFrom(before);
        return advanced;
    }

    private int votersCount() {
        int n = 0;
        for (Progress p : prs.values()) if (!p.isLearner) n++;
        return n;
    }

    private boolean isSingleVoter() {
        return votersCount() == 1 && prs.containsKey(id) && !prs.get(id).isLearner;
    }

    private boolean isQuorum(java.util.Set<Long> acks) {
        int yes = 0;
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            if (!e.getValue().isLearner && acks.contains(e.getKey())) yes++;
        }
        return yes >= votersCount() / 2 + 1;
    }

    private boolean quorumActive() {
        int active = 0;
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            if (e.getValue().isLearner) continue;
            if (e.getKey() == id || e.getValue().recentActive) active++;
        }
        return active >= votersCount() / 2 + 1;
    }

    // ------------------------------------------------------------------ ticks

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            hup(false);
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= cfg.electionTick()) {
            electionElapsed = 0;
            if (cfg.checkQuorum()) stepLeader(Message.of(MessageType.CHECK_QUORUM, id, id));
            if (state == StateType.LEADER && leadTransferee != 0) leadTransferee = 0; // transfer timed out
        }
        if (state != StateType.LEADER) return;
        if (heartbeatElapsed >= cfg.heartbeatTick()) {
            heartbeatElapsed = 0;
            bcastHeartbeat(readOnly.lastPendingContext());
        }
    }

    // ------------------------------------------------------------------ membership

    private void applyConfState(ConfState cs) {
        for (Long v : cs.voters()) prs.put(v, newProgress(false));
        for (Long l : cs.learners()) prs.put(l, newProgress(true));
        Progress self = prs.get(id);
        isLearner = self != null && self.isLearner;
    }

    private Progress newProgress(boolean learner) {
        Progress p = new Progress(0, log.lastIndex() + 1, new Inflights(cfg.maxInflightMsgs(), cfg.maxInflightBytes()), learner);
        p.recentActive = true; // a new member gets a chance to receive a snapshot right away
        return p;
    }

    private void applyConfChangeToMembership(ConfChange cc) {
        Progress p = prs.get(cc.nodeId());
        switch (cc.type()) {
            case ADD_VOTER -> {
                if (p == null) prs.put(cc.nodeId(), newProgress(false));
                else p.isLearner = false;
            }
            case ADD_LEARNER -> {
                if (p == null) prs.put(cc.nodeId(), newProgress(true));
                // demoting a voter needs joint consensus: refused at proposal time, ignored here
            }
            case REMOVE_NODE -> prs.remove(cc.nodeId());
            case UPDATE_NODE -> { } // the configuration is unchanged; the context is the application's
        }
        Progress self = prs.get(id);
        isLearner = self != null && self.isLearner;
    }

    private void applyConfChange(ConfChange cc) {
        boolean added = !prs.containsKey(cc.nodeId());
        applyConfChangeToMembership(cc);
        if (tracer != null) trace(RaftTraceEvent.Kind.APPLY_CONF_CHANGE, null);
        if ((!prs.containsKey(id) || isLearner) && state == StateType.LEADER) {
            becomeFollower(term, 0); // removed or demoted: step down
            return;
        }
        if (state != StateType.LEADER || votersCount() == 0) return;
        if (maybeCommit()) {
            bcastAppend();
        } else {
            for (Long to : prs.keySet()) {
                // a member that was just added is probed at once instead of at the next heartbeat
                if (to != id) maybeSendAppend(to, added && to == cc.nodeId());
            }
        }
        if (leadTransferee != 0 && (!prs.containsKey(leadTransferee) || prs.get(leadTransferee).isLearner)) {
            leadTransferee = 0;
        }
    }

    // ------------------------------------------------------------------ model checking support

    /**
     * A hash of the state that determines future behaviour: term, vote, role, leader, log (entries with data),
     * commit/applied, unstable boundary, configuration and progress, votes, pending messages and reads, timers,
     * transfer and conf-change state, and what is persisted in a {@link MemoryStorage}. The random generator's
     * internal state is excluded (so states that differ only in future random draws are identified).
     */
    public long fingerprint() {
        return fingerprint(null);
    }

    /**
     * The fingerprint of this node's state with every node id renamed by {@code relabel}
     * ({@code relabel[id]} is the new id; null: no renaming). A node whose state is another's under
     * a renaming of ids gets that node's fingerprint, which lets a model checker reduce by symmetry
     * (a canonical fingerprint: the least over all renamings). Collections keyed by id (progress,
     * votes, pending messages) are hashed without regard to order, since a renaming reorders them.
     * Checker-only: nothing on the production path calls it.
     */
    public long fingerprint(long[] relabel) {
        long h = mix(relabel(relabel, id), term);
        h = mix(h, relabel(relabel, vote));
        h = mix(h, relabel(relabel, lead));
        h = mix(h, state.ordinal());
        h = mix(h, log.committed);
        h = mix(h, log.applied);
        h = mix(h, log.offset);
        long first = log.firstIndex();
        long last = log.lastIndex();
        h = mix(h, first);
        h = mix(h, last);
        h = mix(h, log.term(first - 1));
        if (log.unstableSnapshot != null) h = mix(h, log.unstableSnapshot.index() * 7919 + log.unstableSnapshot.term());
        if (last >= first) {
            for (Entry e : log.slice(first, last + 1, Long.MAX_VALUE)) {
                h = mix(h, e.term());
                h = mix(h, e.type().ordinal() * 31L + Arrays.hashCode(e.data()));
            }
        }
        long set = 0;
        for (Map.Entry<Long, Progress> e : prs.entrySet()) {
            set += mix(mix(17, relabel(relabel, e.getKey())), e.getValue().fingerprint());
        }
        h = mix(h, set);
        set = 0;
        for (Map.Entry<Long, Boolean> e : votes.entrySet()) set += mix(31, relabel(relabel, e.getKey()) * 2 + (e.getValue() ? 1 : 0));
        h = mix(h, set);
        set = 0;
        for (Message m : msgs) set += mix(37, messageHash(m, relabel));
        h = mix(h, set);
        for (ReadState r : readStates) h = mix(h, r.index() * 31 + Arrays.hashCode(r.context()));
        set = 0;
        for (Message m : pendingReadIndexMessages) set += mix(41, messageHash(m, relabel));
        h = mix(h, set);
        h = mix(h, readOnly.fingerprint(relabel));
        h = mix(h, (readRoundNeeded ? 1 : 0) + (isLearner ? 2 : 0) + (outstanding != null ? 4 : 0));
        h = mix(h, electionElapsed);
        h = mix(h, heartbeatElapsed);
        h = mix(h, randomizedElectionTimeout);
        h = mix(h, relabel(relabel, leadTransferee));
        h = mix(h, pendingConfIndex);
        h = mix(h, prevHard.term() * 31 + relabel(relabel, prevHard.vote()) + prevHard.commit() * 131);
        h = mix(h, relabel(relabel, prevSoft.leader()) * 7 + prevSoft.role().ordinal());
        if (log.storage instanceof MemoryStorage ms) {
            h = mix(h, ms.firstIndex());
            h = mix(h, ms.lastIndex());
            h = mix(h, ms.lastIndex() >= ms.firstIndex() - 1 ? ms.term(ms.lastIndex()) : 0);
            HardState hs = ms.hardState();
            h = mix(h, hs.term() * 31 + relabel(relabel, hs.vote()) + hs.commit() * 131);
        }
        return h;
    }

    /** Hash of a message's content (used by fingerprints of nodes and of the checker's network). */
    public static long messageHash(Message m) {
        return messageHash(m, null);
    }

    /** As {@link #messageHash(Message)} with the ends renamed by {@code relabel} (null: none). */
    public static long messageHash(Message m, long[] relabel) {
        long h = mix(m.type().ordinal(), relabel(relabel, m.from()));
        h = mix(h, relabel(relabel, m.to()));
        h = mix(h, m.term());
        h = mix(h, m.logTerm());
        h = mix(h, m.index());
        h = mix(h, m.commit());
        h = mix(h, (m.reject() ? 1 : 0) + m.rejectHint() * 2);
        for (Entry e : m.entries()) h = mix(h, e.term() * 31 + e.index() + Arrays.hashCode(e.data()) * 17L);
        if (m.snapshot() != null) h = mix(h, m.snapshot().index() * 31 + m.snapshot().term() + Arrays.hashCode(m.snapshot().data()));
        return mix(h, Arrays.hashCode(m.context()));
    }

    /** {@code relabel[id]}, or {@code id} itself when there is no renaming or it is not a node id (0: none). */
    static long relabel(long[] relabel, long id) {
        return relabel == null || id <= 0 || id >= relabel.length ? id : relabel[(int) id];
    }

    private static long mix(long h, long v) {
        long x = h * 0x9E3779B97F4A7C15L + v;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 32);
    }

    @Override
    public String toString() {
        return "RaftNode{" + id + " " + state + " term=" + term + " vote=" + vote + " lead=" + lead
                + " commit=" + log.committed + " applied=" + log.applied + " last=" + log.lastIndex() + "}";
    }
}
