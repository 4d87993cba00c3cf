package io.kplane.check.raft;

import io.kplane.check.ActionProperty;
import io.kplane.check.Fingerprint;
import io.kplane.check.Invariant;
import io.kplane.check.Model;
import io.kplane.check.RequiredBehaviour;
import io.kplane.raft.ConfState;
import io.kplane.raft.Entry;
import io.kplane.raft.HardState;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.Message;
import io.kplane.raft.sim.Mutation;
import io.kplane.raft.Progress;
import io.kplane.raft.RaftConfig;
import io.kplane.raft.RaftNode;
import io.kplane.raft.Ready;
import io.kplane.raft.SplitMix64;
import io.kplane.raft.StateType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The world of {@code tla/Raft.tla} over the real {@link RaftNode} (PreVote and CheckQuorum on).
 *
 * <p>Each node runs behind a shell that follows the core's contract: after every input it takes
 * the {@link Ready}, persists (snapshot, entries, hard state), sends (into the network), applies
 * and advances. Actions:
 * <ul>
 *   <li>{@code Tick(i)}: node i's logical clock runs until a timer fires (an election timeout on a
 *       follower/candidate, a heartbeat or check-quorum on a leader) — time is abstracted to the
 *       next event of one node, which covers every order of timer events across nodes;</li>
 *   <li>{@code Deliver(m)}: any in-flight message is delivered (reordering is implicit);</li>
 *   <li>{@code Drop(m)}, {@code Duplicate(m)}: network faults. A partition is a set of drops, so it
 *       adds no behaviour beyond them;</li>
 *   <li>{@code Restart(i)}: crash and restart from what node i persisted;</li>
 *   <li>{@code Propose(i)}: a client proposal at leader i; {@code ReadIndex(i)}: a client read.</li>
 * </ul>
 *
 * <p>Symmetry reduction (on by default): the fingerprint is canonical over renamings of node ids
 * ({@link RaftNode#fingerprint(long[])} renames the ids inside the core's state: votes, leader,
 * progress, pending reads), so a search visits one state per class of states equal up to a
 * permutation of the nodes.
 *
 * <p>{@code Compact(i)}: node i snapshots its applied state and drops the log before it, so a
 * lagging follower is brought up to date with a snapshot (as {@code kplane store} does).
 */
public final class RaftModel implements Model<RaftWorld> {

    /** Bugs in the world's shell (not in the core), for mutation tests. */
    public enum ShellMutation {
        NONE,
        /** Messages (vote grants, append acks) are sent before the Ready is durable; a separate Fsync persists it. */
        ACK_BEFORE_PERSIST
    }

    /** Constants and bounds of one Raft model. */
    public record Config(int nodes, int maxTicks, int maxTerm, int maxLogIndex, int maxMessages, int maxRestarts,
                         int maxDrops, int maxDuplicates,
                         int maxProposals, int maxReads, int electionTick, Mutation mutation,
                         ShellMutation shellMutation, int maxCompactions, boolean symmetry,
                         boolean preVote, boolean checkQuorum) {
        public Config {
            if (nodes < 1 || nodes > 5) {
                throw new IllegalArgumentException("nodes must be 1..5, got " + nodes);
            }
        }

        /** Defaults of {@code ./kplane check raft}. */
        public static Config defaults() {
            return new Config(3, 3, 3, 3, 3, 1, 1, 1, 1, 0, 2, Mutation.NONE, ShellMutation.NONE, 1, true, true, true);
        }

        public Config withNodes(int n) {
            return new Config(n, maxTicks, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, mutation, shellMutation, maxCompactions, symmetry, preVote, checkQuorum);
        }

        public Config withBounds(int term, int logIndex, int messages, int restarts, int drops, int duplicates,
                                 int proposals, int reads) {
            return new Config(nodes, maxTicks, term, logIndex, messages, restarts, drops, duplicates, proposals, reads, electionTick, mutation, shellMutation, maxCompactions, symmetry, preVote, checkQuorum);
        }

        public Config withTicks(int t) {
            return new Config(nodes, t, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, mutation, shellMutation, maxCompactions, symmetry, preVote, checkQuorum);
        }

        public Config with(Mutation m) {
            return new Config(nodes, maxTicks, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, m, shellMutation, maxCompactions, symmetry, preVote, checkQuorum);
        }

        /** The core's PreVote and CheckQuorum flags (both on by default; off shows what each is for). */
        public Config withFlags(boolean pv, boolean cq) {
            return new Config(nodes, maxTicks, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, mutation, shellMutation, maxCompactions, symmetry, pv, cq);
        }

        public Config withCompactions(int c) {
            return new Config(nodes, maxTicks, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, mutation, shellMutation, c, symmetry, preVote, checkQuorum);
        }

        /** Symmetry reduction over node permutations on (default) or off (the unreduced search). */
        public Config withSymmetry(boolean on) {
            return new Config(nodes, maxTicks, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, mutation, shellMutation, maxCompactions, on, preVote, checkQuorum);
        }

        public Config with(ShellMutation m) {
            return new Config(nodes, maxTicks, maxTerm, maxLogIndex, maxMessages, maxRestarts, maxDrops, maxDuplicates, maxProposals, maxReads, electionTick, mutation, m, maxCompactions, symmetry, preVote, checkQuorum);
        }
    }

    public static final String ELECTION_SAFETY = "ElectionSafety";
    public static final String LOG_MATCHING = "LogMatching";
    public static final String LEADER_COMPLETENESS = "LeaderCompleteness";
    public static final String STATE_MACHINE_SAFETY = "StateMachineSafety";
    public static final String LEADER_APPEND_ONLY = "LeaderAppendOnly";
    /** A leader advances its commit index only to an entry of its own term (Raft §5.4.2; figure 8). */
    public static final String LEADER_COMMIT_RULE = "LeaderCommitRule";
    /**
     * A leader's match index for a follower of its term is a prefix the follower holds: an entry a
     * follower acknowledged is never dropped while the term lasts (the leader counts it toward commit).
     */
    public static final String MATCH_INDEX_VALID = "MatchIndexValid";
    /** A message from outside a steady leader's live quorum never deposes it (what PreVote + CheckQuorum are for). */
    public static final String LEADER_NOT_DISRUPTED = "LeaderNotDisrupted";
    /**
     * Bounded liveness, checked in every state: once the faults stop, a leader is elected within a
     * few election timeouts and keeps leading (see {@link AfterFaults}).
     */
    public static final String LEADER_ELECTED_AFTER_FAULTS = "LeaderElectedAfterFaults";
    /** Not a spec invariant: the core threw (its own consistency checks fired, as etcd's raft panics). */
    public static final String NO_PANIC = "NoPanic";

    private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SNAPSHOT_DATA = "s".getBytes(StandardCharsets.UTF_8);

    private final String name;
    private final Config config;
    private final Set<String> required;
    private final List<int[]> permutations;
    private final AfterFaults afterFaults;

    /** The model under user-given bounds: every required behaviour must be reached. */
    public RaftModel(Config config) {
        this("raft", config, Set.of(CHECK_QUORUM_STEP_DOWN, CONCURRENT_CAMPAIGNS, SNAPSHOT_INSTALL, LEADER_CHANGE,
                PROPOSAL_COMMITTED, RESTART));
    }

    /** A named model whose bounds are meant to reach only {@code required} (see {@link RaftPreset}). */
    public RaftModel(String name, Config config, Set<String> required) {
        this.name = name;
        this.config = config;
        this.required = Set.copyOf(required);
        this.permutations = permutations(config.nodes());
        // A randomized election timeout is below 2 x electionTick, so 4 x electionTick rounds give
        // a failed campaign and a second one time to finish (the default search needs at most 2 x
        // electionTick from any state it reaches), and 2 x electionTick rounds of leading outlast
        // every follower's timer.
        this.afterFaults = new AfterFaults(4 * config.electionTick(), 2 * config.electionTick());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describeBounds() {
        return config.nodes() + " nodes (PreVote " + (config.preVote() ? "on" : "OFF") + ", CheckQuorum "
                + (config.checkQuorum() ? "on" : "OFF") + ", electionTick " + config.electionTick()
                + "), timer events <= " + config.maxTicks() + ", terms <= " + config.maxTerm() + ", log index <= " + config.maxLogIndex()
                + ", messages in flight <= " + config.maxMessages() + ", restarts <= " + config.maxRestarts()
                + ", drops <= " + config.maxDrops() + ", duplicates <= " + config.maxDuplicates()
                + ", proposals <= " + config.maxProposals() + ", reads <= " + config.maxReads()
                + ", compactions <= " + config.maxCompactions()
                + (config.symmetry() ? ", symmetry over node ids" : ", no symmetry reduction")
                + ", liveness: a leader within " + afterFaults.electWithin() + " rounds of ticks after the faults stop, leading "
                + afterFaults.stayFor() + " more"
                + (config.mutation() != Mutation.NONE ? ", MUTATION " + config.mutation() : "")
                + (config.shellMutation() != ShellMutation.NONE ? ", MUTATION " + config.shellMutation() : "");
    }

    RaftConfig raftConfig(long id) {
        // One entry per append message, as Raft.tla's AppendEntries sends: etcd batches up to
        // MaxSizePerMsg, and with small batches a follower acknowledges an older leader's entry
        // before the new leader's own, the schedule that the commit rule exists for.
        return RaftConfig.builder(id).electionTick(config.electionTick()).heartbeatTick(1).maxSizePerMsg(1)
                .preVote(config.preVote()).checkQuorum(config.checkQuorum()).build();
    }

    @Override
    public List<RaftWorld> initialStates() {
        int n = config.nodes();
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
        }
        RaftNode[] nodes = new RaftNode[n];
        MemoryStorage[] disks = config.shellMutation() == ShellMutation.ACK_BEFORE_PERSIST ? new MemoryStorage[n] : null;
        for (int i = 0; i < n; i++) {
            MemoryStorage storage = MemoryStorage.bootstrap(ConfState.ofVoters(ids));
            if (disks != null) {
                disks[i] = storage.copy();
            }
            nodes[i] = RaftNode.create(raftConfig(i + 1), storage, 1000, config.mutation().rules());   // one seed: nodes differ only by id
        }
        RaftWorld.AppliedLog[] applied = new RaftWorld.AppliedLog[n];
        Arrays.fill(applied, RaftWorld.AppliedLog.EMPTY);
        return List.of(new RaftWorld(nodes, applied, disks, List.of(), 0, 0, 0, 0, 0, 0, 0, new long[0], List.of(), null, 0, 0, null));
    }

    /** A successor under construction: copies what it changes. */
    private final class Next {
        final RaftWorld from;
        final RaftNode[] nodes;
        final RaftWorld.AppliedLog[] applied;
        final MemoryStorage[] disks;
        final List<Message> network;
        final boolean[] copied;
        int ticks;
        int restarts;
        int drops;
        int duplicates;
        int proposals;
        int reads;
        int compactions;
        /** Id of the node whose message this step delivers (0: the step is not a delivery). */
        long sender;

        Next(RaftWorld w) {
            from = w;
            nodes = w.nodes().clone();
            applied = w.applied().clone();
            disks = w.disks() == null ? null : w.disks().clone();
            network = new ArrayList<>(w.network());
            copied = new boolean[nodes.length];
            ticks = w.ticks();
            restarts = w.restarts();
            drops = w.drops();
            duplicates = w.duplicates();
            proposals = w.proposals();
            reads = w.reads();
            compactions = w.compactions();
        }

        RaftNode node(int i) {
            if (!copied[i]) {
                nodes[i] = nodes[i].copy();
                copied[i] = true;
            }
            return nodes[i];
        }

        /** The shell: persist, send, apply, advance, until the core has nothing more to do. */
        void drain(int i) {
            RaftNode n = node(i);
            while (n.hasReady()) {
                Ready rd = n.ready();
                MemoryStorage live = (MemoryStorage) n.storage();
                persist(live, rd);
                // Correct shell (disks == null): the live storage IS the disk, persisted before sending.
                // Buggy shell: the disk lags; only Fsync(i) brings it up to date with the live storage.
                network.addAll(rd.messages());
                apply(i, rd);
                n.advance(rd);
            }
        }

        /** The state machine: records what it applies (a snapshot replaces everything before it). */
        void apply(int i, Ready rd) {
            RaftWorld.AppliedLog log = applied[i];
            if (rd.snapshot() != null) {
                log = new RaftWorld.AppliedLog(rd.snapshot().metadata().index() + 1, new long[0]);
            }
            List<Entry> ents = rd.committedEntries();
            if (ents.isEmpty()) {
                applied[i] = log;
                return;
            }
            if (log.ids().length == 0) {
                log = new RaftWorld.AppliedLog(ents.get(0).index(), log.ids());
            } else if (ents.get(0).index() != log.last() + 1) {
                throw new IllegalStateException("applied " + ents.get(0).index() + " after " + log.last());
            }
            long[] ids = Arrays.copyOf(log.ids(), log.ids().length + ents.size());
            for (int k = 0; k < ents.size(); k++) {
                ids[log.ids().length + k] = RaftWorld.entryId(ents.get(k));
            }
            applied[i] = new RaftWorld.AppliedLog(log.first(), ids);
        }

        RaftWorld build() {
            // History: leaders and commits observed in the new state.
            long[] elected = from.elected();
            Set<Long> el = null;
            List<RaftWorld.CommittedEntry> committed = from.committed();
            List<RaftWorld.CommittedEntry> com = null;
            for (int i = 0; i < nodes.length; i++) {
                if (!copied[i]) {
                    continue;
                }
                RaftNode n = nodes[i];
                if (n.role() == StateType.LEADER) {
                    long key = n.term() * 64 + n.id();
                    if (Arrays.binarySearch(elected, key) < 0 && (el == null || !el.contains(key))) {
                        if (el == null) {
                            el = new HashSet<>();
                        }
                        el.add(key);
                    }
                }
                for (long idx = Math.max(2, n.firstIndex()); idx <= n.commitIndex(); idx++) {
                    if (!knownCommitted(com == null ? committed : com, idx)) {
                        if (com == null) {
                            com = new ArrayList<>(committed);
                        }
                        Entry e = n.entries(idx, idx + 1).get(0);
                        com.add(new RaftWorld.CommittedEntry(idx, e.term(), Arrays.hashCode(e.data()), n.term()));
                    }
                }
            }
            if (el != null) {
                long[] merged = Arrays.copyOf(elected, elected.length + el.size());
                int k = elected.length;
                for (long key : el) {
                    merged[k++] = key;
                }
                Arrays.sort(merged);
                elected = merged;
            }
            if (com != null) {
                com.sort((a, b) -> Long.compare(a.index(), b.index()));
                committed = List.copyOf(com);
            }
            RaftWorld after = new RaftWorld(nodes, applied, disks, List.copyOf(network), ticks, restarts, drops, duplicates, proposals, reads, compactions, elected, committed, null, 0, 0, null);
            return disruption(from, after, sender);
        }
    }

    /**
     * Follows LeaderNotDisrupted's history into {@code after}. A follower is <i>live</i> for leader L
     * when it follows L in L's term and its election timer has not run out (electionElapsed &lt;
     * electionTick: it heard from L within an election timeout). A leader that has a quorum of
     * itself and live followers, while no node or message carries a higher term (no campaign that
 * began before is still under way), becomes <i>steady</i>; it stays steady while it keeps one. A step
     * that delivers a message from a node outside a steady leader's live quorum must neither depose
     * that leader nor change a live follower's term: that is the disruption PreVote (a rejoining
     * node asks before it raises its term) and CheckQuorum (voters in a leader's lease ignore
     * campaigns) exist to prevent. Once a leader's live quorum is lost by any other means (a timer,
     * a restart) its term is spoiled: a later campaign may legitimately depose it.
     */
    RaftWorld disruption(RaftWorld before, RaftWorld after, long sender) {
        long steady = before.steadyLeader();
        long spoiled = before.spoiledTerm();
        String disrupted = before.disrupted();
        if (steady != 0) {
            long term = steady / 64;
            int li = (int) (steady % 64) - 1;
            boolean[] liveBefore = liveFollowers(before, li);
            if (sender != 0 && sender != li + 1 && !liveBefore[(int) sender - 1]) {
                RaftNode l = after.nodes()[li];
                String what = null;
                if (l.role() != StateType.LEADER || l.term() != term) {
                    what = id(li + 1) + ", leader of term " + term + ", became " + l.role() + " in term " + l.term();
                }
                for (int j = 0; j < after.size() && what == null; j++) {
                    if (liveBefore[j] && after.nodes()[j].term() != term) {
                        what = id(j + 1) + ", a live follower of " + id(li + 1) + ", moved to term " + after.nodes()[j].term();
                    }
                }
                if (what != null && disrupted == null) {
                    disrupted = "a message from " + id(sender) + " (outside the live quorum) disrupted a steady leader: " + what;
                }
            }
            if (!hasLiveQuorum(after, li, term)) {
                spoiled = Math.max(spoiled, term);
                steady = 0;
            }
        }
        if (steady == 0) {
            for (int i = 0; i < after.size(); i++) {
                RaftNode n = after.nodes()[i];
                if (n.role() == StateType.LEADER && n.term() > spoiled && hasLiveQuorum(after, i, n.term())
                        && maxTerm(after) == n.term()) {
                    steady = n.term() * 64 + n.id();
                }
            }
        }
        return new RaftWorld(after.nodes(), after.applied(), after.disks(), after.network(), after.ticks(), after.restarts(),
                after.drops(), after.duplicates(), after.proposals(), after.reads(), after.compactions(), after.elected(),
                after.committed(), after.panic(), steady, spoiled, disrupted);
    }

    /** The highest term of any node or in-flight message. */
    private static long maxTerm(RaftWorld w) {
        long t = 0;
        for (RaftNode n : w.nodes()) {
            t = Math.max(t, n.term());
        }
        for (Message m : w.network()) {
            t = Math.max(t, m.term());
        }
        return t;
    }

    private boolean[] liveFollowers(RaftWorld w, int leader) {
        RaftNode l = w.nodes()[leader];
        boolean[] live = new boolean[w.size()];
        for (int j = 0; j < w.size(); j++) {
            RaftNode f = w.nodes()[j];
            live[j] = j != leader && f.role() == StateType.FOLLOWER && f.term() == l.term() && f.leaderId() == l.id()
                    && f.electionElapsed() < config.electionTick();
        }
        return live;
    }

    private boolean hasLiveQuorum(RaftWorld w, int leader, long term) {
        RaftNode l = w.nodes()[leader];
        if (l.role() != StateType.LEADER || l.term() != term) {
            return false;
        }
        int count = 1;
        for (boolean b : liveFollowers(w, leader)) {
            count += b ? 1 : 0;
        }
        return count > w.size() / 2;
    }

    private static boolean knownCommitted(List<RaftWorld.CommittedEntry> c, long idx) {
        for (RaftWorld.CommittedEntry e : c) {
            if (e.index() == idx) {
                return true;
            }
        }
        return false;
    }

    static void persist(MemoryStorage s, Ready rd) {
        if (rd.snapshot() != null) {
            s.applySnapshot(rd.snapshot());
        }
        s.append(rd.entries());
        if (rd.hardState() != null) {
            s.setHardState(rd.hardState());
        }
    }

    static String id(long nodeId) {
        return "n" + nodeId;
    }

    @Override
    public void successors(RaftWorld w, Successors<RaftWorld> out) {
        if (w.panic() != null) {
            return;
        }
        generate(w, (action, next) -> out.add(action, next), out);
    }

    /** Runs one action; an exception from the core becomes a state that violates NoPanic. */
    private void act(RaftWorld w, String action, Successors<RaftWorld> out, java.util.function.Supplier<RaftWorld> step) {
        RaftWorld next;
        try {
            next = step.get();
        } catch (RuntimeException e) {
            next = new RaftWorld(w.nodes(), w.applied(), w.disks(), w.network(), w.ticks(), w.restarts(), w.drops(), w.duplicates(),
                    w.proposals(), w.reads(), w.compactions(), w.elected(), w.committed(), e.getClass().getSimpleName() + ": " + e.getMessage(),
                    w.steadyLeader(), w.spoiledTerm(), w.disrupted());
        }
        out.add(action, next);
    }

    private void generate(RaftWorld w, Successors<RaftWorld> unused, Successors<RaftWorld> out) {
        int n = w.size();
        for (int i = 0; i < n; i++) {
            RaftNode node = w.nodes()[i];
            // Tick: run node i's clock to its next timer event.
            if (w.ticks() < config.maxTicks()) {
                final int fi = i;
                act(w, "Tick(" + id(i + 1) + ")", out, () -> {
                    Next t = new Next(w);
                    t.ticks++;
                    RaftNode tn = t.node(fi);
                    int ticks = 0;
                    do {
                        tn.tick();
                        ticks++;
                    } while (!tn.hasReady() && ticks < 4 * config.electionTick());
                    t.drain(fi);
                    return t.build();
                });
            }

            final int fi = i;
            if (node.role() == StateType.LEADER && w.proposals() < config.maxProposals()) {
                act(w, "Propose(" + id(i + 1) + ")", out, () -> {
                    Next p = new Next(w);
                    p.node(fi).propose(VALUE);
                    p.proposals++;
                    p.drain(fi);
                    return p.build();
                });
            }
            if (node.role() == StateType.LEADER && w.reads() < config.maxReads()) {
                act(w, "ReadIndex(" + id(i + 1) + ")", out, () -> {
                    Next r = new Next(w);
                    r.node(fi).readIndex(new byte[] {(byte) (w.reads() + 1)});
                    r.reads++;
                    r.drain(fi);
                    return r.build();
                });
            }
            if (w.restarts() < config.maxRestarts()) {
                act(w, "Restart(" + id(i + 1) + ")", out, () -> {
                    Next c = new Next(w);
                    MemoryStorage disk = w.disks() == null ? ((MemoryStorage) node.storage()).copy() : w.disks()[fi].copy();
                    c.nodes[fi] = RaftNode.create(raftConfig(fi + 1), disk, 2000 + w.restarts(), config.mutation().rules());
                    c.copied[fi] = true;
                    c.applied[fi] = RaftWorld.AppliedLog.EMPTY;  // the state machine is rebuilt from the log
                    if (c.disks != null) {
                        c.disks[fi] = disk.copy();
                    }
                    c.restarts++;
                    c.drain(fi);
                    return c.build();
                });
            }
            if (w.compactions() < config.maxCompactions() && w.disks() == null
                    && node.appliedIndex() >= node.firstIndex() && node.appliedIndex() > 1) {
                act(w, "Compact(" + id(i + 1) + ")", out, () -> {
                    Next c = new Next(w);
                    RaftNode cn = c.node(fi);
                    MemoryStorage st = (MemoryStorage) cn.storage();
                    long upTo = cn.appliedIndex();
                    st.createSnapshot(upTo, cn.confState(), SNAPSHOT_DATA);
                    st.compact(upTo);
                    c.compactions++;
                    c.drain(fi);
                    return c.build();
                });
            }
            if (w.disks() != null && !sameDisk(w.disks()[i], (MemoryStorage) node.storage())) {
                Next f = new Next(w);
                f.disks[i] = ((MemoryStorage) node.storage()).copy();
                out.add("Fsync(" + id(i + 1) + ")", f.build());
            }
        }
        // Network: deliver, drop or duplicate each distinct in-flight message.
        List<Message> net = w.network();
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < net.size(); k++) {
            Message m = net.get(k);
            if (!seen.add(RaftNode.messageHash(m))) {
                continue;
            }
            final int fk = k;
            act(w, "Deliver " + m, out, () -> {
                Next d = new Next(w);
                d.sender = m.from();
                d.network.remove(fk);
                int to = (int) m.to() - 1;
                d.node(to).step(m);
                d.drain(to);
                return d.build();
            });

            if (w.drops() < config.maxDrops()) {
                Next x = new Next(w);
                x.network.remove(k);
                x.drops++;
                out.add("Drop " + m, x.build());
            }
            if (w.duplicates() < config.maxDuplicates() && net.size() < config.maxMessages()) {
                Next y = new Next(w);
                y.network.add(m);
                y.duplicates++;
                out.add("Duplicate " + m, y.build());
            }
        }
    }

    private static boolean sameDisk(MemoryStorage a, MemoryStorage b) {
        return a.hardState().equals(b.hardState()) && a.lastIndex() == b.lastIndex()
                && a.firstIndex() == b.firstIndex() && a.term(a.lastIndex()) == b.term(b.lastIndex());
    }

    /**
     * The canonical fingerprint: with symmetry on, the least fingerprint of the world over every
     * renaming of node ids (n! of them), so states equal up to a permutation of the nodes are one
     * state. Sound because every node runs the same core with the same configuration and random
     * seed (the initial cluster is all voters, symmetric), the network is a multiset and every bound
     * counts cluster-wide; {@code RaftModelTest} checks it against the unreduced search.
     */
    @Override
    public long fingerprint(RaftWorld w) {
        if (!config.symmetry()) {
            return fingerprint(w, null, null);
        }
        long best = Long.MAX_VALUE;
        for (int[] p : permutations) {
            long[] relabel = new long[p.length + 1];
            for (int i = 0; i < p.length; i++) {
                relabel[i + 1] = p[i] + 1;
            }
            best = Math.min(best, fingerprint(w, p, relabel));
        }
        return best;
    }

    /** The fingerprint of {@code w} with node i placed at position p[i] and ids renamed by relabel. */
    private static long fingerprint(RaftWorld w, int[] p, long[] relabel) {
        int n = w.size();
        int[] at = new int[n];  // at[position] = node index
        for (int i = 0; i < n; i++) {
            at[p == null ? i : p[i]] = i;
        }
        Fingerprint f = new Fingerprint();
        for (int pos = 0; pos < n; pos++) {
            int i = at[pos];
            f.add(w.nodes()[i].fingerprint(relabel));
            if (w.disks() != null) {
                MemoryStorage d = w.disks()[i];
                HardState hs = d.hardState();
                f.add(hs.term()).add(relabel(relabel, hs.vote())).add(hs.commit()).add(d.lastIndex()).add(d.term(d.lastIndex()));
            }
            RaftWorld.AppliedLog a = w.applied()[i];
            f.add(a.first());
            for (long id : a.ids()) {
                f.add(id);
            }
        }
        long[] msgs = new long[w.network().size()];
        for (int k = 0; k < msgs.length; k++) {
            msgs[k] = RaftNode.messageHash(w.network().get(k), relabel);
        }
        f.add(Fingerprint.ofMultiset(msgs, msgs.length));
        f.add(w.panic());
        f.add(w.ticks()).add(w.restarts()).add(w.drops()).add(w.duplicates()).add(w.proposals()).add(w.reads()).add(w.compactions());
        long[] elected = w.elected().clone();
        for (int k = 0; k < elected.length; k++) {
            elected[k] = elected[k] / 64 * 64 + relabel(relabel, elected[k] % 64);
        }
        Arrays.sort(elected);
        for (long e : elected) {
            f.add(e);
        }
        for (RaftWorld.CommittedEntry c : w.committed()) {
            f.add(c.index()).add(c.entryTerm()).add(c.dataHash()).add(c.commitTerm());
        }
        long steady = w.steadyLeader();
        f.add(steady == 0 ? 0 : steady / 64 * 64 + relabel(relabel, steady % 64)).add(w.spoiledTerm()).add(w.disrupted() != null);
        return f.get();
    }

    private static long relabel(long[] relabel, long id) {
        return relabel == null || id <= 0 || id >= relabel.length ? id : relabel[(int) id];
    }

    /** Every permutation of 0..n-1 (the identity first). */
    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int k, List<int[]> out) {
        if (k == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int v = 0; v < cur.length; v++) {
            if (!used[v]) {
                used[v] = true;
                cur[k] = v;
                permute(cur, used, k + 1, out);
                used[v] = false;
            }
        }
    }

    @Override
    public boolean withinBounds(RaftWorld w) {
        if (w.network().size() > config.maxMessages()) {
            return false;
        }
        for (RaftNode n : w.nodes()) {
            if (n.term() > config.maxTerm() || n.lastIndex() > config.maxLogIndex()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Invariant<RaftWorld>> invariants() {
        return List.of(
                new Invariant<>(NO_PANIC, w -> w.panic() == null),
                new Invariant<>(ELECTION_SAFETY, RaftModel::electionSafety),
                new Invariant<>(LOG_MATCHING, RaftModel::logMatching),
                new Invariant<>(LEADER_COMPLETENESS, RaftModel::leaderCompleteness),
                new Invariant<>(STATE_MACHINE_SAFETY, RaftModel::stateMachineSafety),
                new Invariant<>(LEADER_NOT_DISRUPTED, w -> w.disrupted() == null),
                new Invariant<>(MATCH_INDEX_VALID, RaftModel::matchIndexValid),
                new Invariant<>(LEADER_ELECTED_AFTER_FAULTS, w -> w.panic() != null || afterFaults.run(w).holds()));
    }

    public static final String CHECK_QUORUM_STEP_DOWN = "CheckQuorumStepDown";
    public static final String CONCURRENT_CAMPAIGNS = "ConcurrentCampaigns";
    public static final String SNAPSHOT_INSTALL = "SnapshotInstall";
    public static final String LEADER_CHANGE = "LeaderChange";
    public static final String PROPOSAL_COMMITTED = "ProposalCommitted";
    public static final String RESTART = "Restart";
    /** Two nodes hold different entries at one index (what the append's log-matching check repairs). */
    public static final String LOGS_DIVERGE = "LogsDiverge";

    /**
     * What this model's bounds must reach, out of: a leader stepping down on its own timer because it lost
     * contact with a quorum (CheckQuorum), two nodes campaigning at once, a follower installing a
     * snapshot after the leader compacted its log, a second leader in a later term, a client
     * proposal committed, a crash/restart, and two logs holding different entries at one index.
     */
    @Override
    public List<RequiredBehaviour<RaftWorld>> requiredBehaviours() {
        return allBehaviours().stream().filter(b -> required.contains(b.name())).toList();
    }

    private static List<RequiredBehaviour<RaftWorld>> allBehaviours() {
        return List.of(
                new RequiredBehaviour<>(CHECK_QUORUM_STEP_DOWN, (a, action, b) -> action.startsWith("Tick") && anyNode(a, b,
                        (x, y) -> x.role() == StateType.LEADER && y.role() == StateType.FOLLOWER && x.term() == y.term())),
                new RequiredBehaviour<>(CONCURRENT_CAMPAIGNS, (a, action, b) -> campaigning(b) >= 2 && campaigning(a) < 2),
                new RequiredBehaviour<>(SNAPSHOT_INSTALL, (a, action, b) -> action.startsWith("Deliver") && action.contains(" SNAP")
                        && anyNode(a, b, (x, y) -> y.firstIndex() > x.firstIndex())),
                new RequiredBehaviour<>(LEADER_CHANGE, (a, action, b) -> b.elected().length >= 2 && a.elected().length < 2),
                new RequiredBehaviour<>(PROPOSAL_COMMITTED, (a, action, b) -> committedProposal(b) && !committedProposal(a)),
                new RequiredBehaviour<>(RESTART, (a, action, b) -> action.startsWith("Restart")),
                new RequiredBehaviour<>(LOGS_DIVERGE, (a, action, b) -> diverged(b) && !diverged(a)));
    }

    private static boolean anyNode(RaftWorld a, RaftWorld b, java.util.function.BiPredicate<RaftNode, RaftNode> p) {
        for (int i = 0; i < a.size(); i++) {
            if (a.nodes()[i] != b.nodes()[i] && p.test(a.nodes()[i], b.nodes()[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean diverged(RaftWorld w) {
        RaftNode[] ns = w.nodes();
        for (int i = 0; i < ns.length; i++) {
            for (int j = i + 1; j < ns.length; j++) {
                long top = Math.min(ns[i].lastIndex(), ns[j].lastIndex());
                for (long k = Math.max(ns[i].firstIndex(), ns[j].firstIndex()); k <= top; k++) {
                    if (!sameEntry(ns[i], ns[j], k)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int campaigning(RaftWorld w) {
        int c = 0;
        for (RaftNode n : w.nodes()) {
            if (n.role() == StateType.CANDIDATE || n.role() == StateType.PRE_CANDIDATE) {
                c++;
            }
        }
        return c;
    }

    private static boolean committedProposal(RaftWorld w) {
        for (RaftWorld.CommittedEntry c : w.committed()) {
            if (c.dataHash() == Arrays.hashCode(VALUE)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ActionProperty<RaftWorld>> actionProperties() {
        return List.of(new ActionProperty<>(LEADER_APPEND_ONLY, RaftModel::leaderAppendOnly),
                new ActionProperty<>(LEADER_COMMIT_RULE, RaftModel::leaderCommitRule));
    }

    /** At most one leader per term, over the whole history. */
    static boolean electionSafety(RaftWorld w) {
        long[] e = w.elected();
        for (int a = 0; a < e.length; a++) {
            for (int b = a + 1; b < e.length; b++) {
                if (e[a] / 64 == e[b] / 64) {
                    return false;
                }
            }
        }
        // The current state too (a leader not yet folded into history is impossible, but cheap to check).
        for (RaftNode x : w.nodes()) {
            for (RaftNode y : w.nodes()) {
                if (x != y && x.role() == StateType.LEADER && y.role() == StateType.LEADER && x.term() == y.term()) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean sameEntry(RaftNode a, RaftNode b, long idx) {
        Entry x = a.entries(idx, idx + 1).get(0);
        Entry y = b.entries(idx, idx + 1).get(0);
        return x.term() == y.term() && Arrays.equals(x.data(), y.data()) && x.type() == y.type();
    }

    /** Two logs with an entry of the same index and term agree on every entry up to it. */
    static boolean logMatching(RaftWorld w) {
        RaftNode[] ns = w.nodes();
        for (int i = 0; i < ns.length; i++) {
            for (int j = i + 1; j < ns.length; j++) {
                long top = Math.min(ns[i].lastIndex(), ns[j].lastIndex());
                long lo = Math.max(ns[i].firstIndex(), ns[j].firstIndex());
                for (long idx = top; idx >= lo; idx--) {
                    if (ns[i].termAt(idx) == ns[j].termAt(idx)) {
                        for (long k = lo; k <= idx; k++) {
                            if (!sameEntry(ns[i], ns[j], k)) {
                                return false;
                            }
                        }
                        break;
                    }
                }
            }
        }
        return true;
    }

    /** Every entry committed in a term is in the log of every leader of a later term. */
    static boolean leaderCompleteness(RaftWorld w) {
        for (RaftNode n : w.nodes()) {
            if (n.role() != StateType.LEADER) {
                continue;
            }
            for (RaftWorld.CommittedEntry c : w.committed()) {
                if (c.commitTerm() < n.term() && c.index() >= n.firstIndex()) {
                    if (n.lastIndex() < c.index() || n.termAt(c.index()) != c.entryTerm()
                            || Arrays.hashCode(n.entries(c.index(), c.index() + 1).get(0).data()) != c.dataHash()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * No two nodes apply different entries at the same index, and no two nodes' committed
     * prefixes differ (the spec's form: in Raft.tla what is committed is what is applied).
     */
    static boolean stateMachineSafety(RaftWorld w) {
        RaftWorld.AppliedLog[] as = w.applied();
        for (int i = 0; i < as.length; i++) {
            for (int j = i + 1; j < as.length; j++) {
                long lo = Math.max(as[i].first(), as[j].first());
                long top = Math.min(as[i].last(), as[j].last());
                for (long idx = lo; idx <= top; idx++) {
                    if (as[i].at(idx) != as[j].at(idx)) {
                        return false;
                    }
                }
            }
        }
        RaftNode[] ns = w.nodes();
        for (int i = 0; i < ns.length; i++) {
            for (int j = i + 1; j < ns.length; j++) {
                long top = Math.min(ns[i].commitIndex(), ns[j].commitIndex());
                long lo = Math.max(ns[i].firstIndex(), ns[j].firstIndex());
                for (long idx = lo; idx <= top; idx++) {
                    if (!sameEntry(ns[i], ns[j], idx)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The node led in {@code a} and still leads the same term in {@code b}. */
    private static boolean leadsThroughout(RaftNode a, RaftNode b) {
        return a.role() == StateType.LEADER && b.role() == StateType.LEADER && a.term() == b.term();
    }

    /** A leader never rewrites or drops its own entries during its term. */
    static boolean leaderAppendOnly(RaftWorld before, RaftWorld after) {
        for (int i = 0; i < before.size(); i++) {
            RaftNode a = before.nodes()[i];
            RaftNode b = after.nodes()[i];
            if (a == b || !leadsThroughout(a, b)) {
                continue;
            }
            if (b.lastIndex() < a.lastIndex()) {
                return false;
            }
            for (long idx = Math.max(a.firstIndex(), b.firstIndex()); idx <= a.lastIndex(); idx++) {
                if (!sameEntry(a, b, idx)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A leader that stays leader of its term moves its commit index only onto an entry of that term. */
    static boolean leaderCommitRule(RaftWorld before, RaftWorld after) {
        for (int i = 0; i < before.size(); i++) {
            RaftNode a = before.nodes()[i];
            RaftNode b = after.nodes()[i];
            if (a == b || !leadsThroughout(a, b)) {
                continue;
            }
            if (b.commitIndex() > a.commitIndex() && b.termAt(b.commitIndex()) != b.term()) {
                return false;
            }
        }
        return true;
    }

    /**
     * For every leader and every follower in its term, the follower's log holds the leader's entries
     * up to the leader's match index for it (the part of it not compacted on either side).
     */
    static boolean matchIndexValid(RaftWorld w) {
        for (RaftNode leader : w.nodes()) {
            if (leader.role() != StateType.LEADER) {
                continue;
            }
            for (RaftNode f : w.nodes()) {
                Progress pr = leader.progress().get(f.id());
                if (f == leader || pr == null || f.term() != leader.term()) {
                    continue;
                }
                if (pr.match() > f.lastIndex()) {
                    return false;
                }
                long from = Math.max(leader.firstIndex(), f.firstIndex());
                for (long idx = from; idx <= Math.min(pr.match(), leader.lastIndex()); idx++) {
                    if (!sameEntry(leader, f, idx)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Override
    public String describe(RaftWorld w) {
        StringBuilder b = new StringBuilder();
        if (w.panic() != null) {
            b.append("THE CORE THREW: ").append(w.panic()).append('\n');
        }
        if (w.disrupted() != null) {
            b.append("DISRUPTED: ").append(w.disrupted()).append('\n');
        }
        AfterFaults.Outcome after = w.panic() == null ? afterFaults.run(w) : null;
        if (after != null && !after.holds()) {
            b.append("AFTER THE FAULTS STOP: ").append(after.explanation()).append('\n');
        }
        for (RaftNode n : w.nodes()) {
            b.append(id(n.id())).append(": ").append(n.role()).append(" term=").append(n.term())
                    .append(" vote=").append(n.vote() == 0 ? "-" : id(n.vote()))
                    .append(" commit=").append(n.commitIndex()).append(" log=[");
            for (long idx = n.firstIndex(); idx <= n.lastIndex(); idx++) {
                Entry e = n.entries(idx, idx + 1).get(0);
                b.append(idx == n.firstIndex() ? "" : " ").append(idx).append(":t").append(e.term())
                        .append(e.data().length == 0 ? "" : "=" + new String(e.data(), StandardCharsets.UTF_8));
            }
            b.append(']');
            RaftWorld.AppliedLog a = w.applied()[(int) n.id() - 1];
            if (a.ids().length > 0) {
                b.append(" applied=[");
                for (long idx = a.first(); idx <= a.last(); idx++) {
                    b.append(idx == a.first() ? "" : " ").append(idx).append(":t").append(a.at(idx) >>> 32);
                }
                b.append(']');
            }
            if (w.disks() != null) {
                MemoryStorage d = w.disks()[n.id() > 0 ? (int) n.id() - 1 : 0];
                b.append(" disk{term=").append(d.hardState().term()).append(" vote=").append(d.hardState().vote())
                        .append(" last=").append(d.lastIndex()).append('}');
            }
            b.append('\n');
        }
        b.append("network: ").append(w.network().isEmpty() ? "(empty)" : "");
        for (Message m : w.network()) {
            b.append("\n  ").append(m);
        }
        return b.toString();
    }
}
