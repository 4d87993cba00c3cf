package io.kplane.raft.sim;

import io.kplane.raft.ConfChange;
import io.kplane.raft.ConfState;
import io.kplane.raft.Entry;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.Message;
import io.kplane.raft.MessageType;
import io.kplane.raft.ProposalDroppedException;
import io.kplane.raft.RaftConfig;
import io.kplane.raft.RaftNode;
import io.kplane.raft.RaftTraceEvent;
import io.kplane.raft.Ready;
import io.kplane.raft.Snapshot;
import io.kplane.raft.SplitMix64;
import io.kplane.raft.StateType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A seeded, deterministic simulation of a Raft cluster under faults: random interleavings of ticks, message
 * deliveries (reordered, dropped, duplicated), Ready processing, proposals, read-index requests, leadership
 * transfers, partitions, crashes and restarts (a crash loses everything not yet handed out for persisting; the
 * "disk" is each node's {@link MemoryStorage}), and snapshots with log compaction. After every step it checks
 * the Raft safety properties ({@link SafetyProperty}) and stops at the first violation.
 *
 * <p>Pure: the same {@link SimulationConfig} always produces the same run. Each node's state machine is a hash
 * chain over the applied entries; snapshots carry the chain value, so State Machine Safety is checked across
 * snapshots and restarts too.
 */
public final class Simulation {

    private static final int ELECTION_TICK = 8;
    private static final int KEEP_AFTER_COMPACTION = 4;
    private static final int COMPACT_THRESHOLD = 12;

    private final SimulationConfig cfg;
    private final SplitMix64 rng;
    private final int n;
    /** Voters at the start are 1..n; n+1..total are spare nodes that membership changes may add. */
    private final int total;
    private static final int SPARES = 2;
    private final boolean preVote;
    private final boolean checkQuorum;
    /** Per seed: one entry per append (so followers acknowledge old entries on their own) or batches. */
    private final long maxSizePerMsg;
    private final int maxInflight;
    private final RaftNode[] nodes;
    private final MemoryStorage[] disks;
    /** Per node: applied index and hash chain of its state machine. */
    private final long[] smIndex;
    private final long[] smDigest;
    private final int[] group;
    private final int[] mix;
    private final ArrayList<Message> network = new ArrayList<>();
    private final SafetyChecker checker;
    private long step;
    private long proposals;
    private long delivered, dropped, duplicated, crashes, snapshotsSent, proposalsDropped, entriesApplied, confChanges;

    public Simulation(SimulationConfig cfg) {
        this.cfg = cfg;
        this.rng = new SplitMix64(cfg.seed() * 0x9E3779B97F4A7C15L + 17);
        this.n = cfg.nodes();
        this.total = n + SPARES;
        this.preVote = cfg.preVote() != null ? cfg.preVote() : rng.nextBoolean();
        this.checkQuorum = cfg.checkQuorum() != null ? cfg.checkQuorum() : rng.nextBoolean();
        this.maxSizePerMsg = rng.nextBoolean() ? 1 : 256;
        this.maxInflight = rng.nextBoolean() ? 1 : 4;
        this.mix = drawActionMix();
        this.nodes = new RaftNode[total + 1];
        this.disks = new MemoryStorage[total + 1];
        this.smIndex = new long[total + 1];
        this.smDigest = new long[total + 1];
        this.group = new int[total + 1];
        this.checker = new SafetyChecker(total);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        ConfState cs = ConfState.ofVoters(ids);
        for (int id = 1; id <= n; id++) {
            disks[id] = MemoryStorage.bootstrap(cs);
            start(id);
        }
    }

    /** Runs one simulation with the given config. */
    public static SimulationResult run(SimulationConfig cfg) {
        return new Simulation(cfg).run();
    }

    public SimulationResult run() {
        Violation v = null;
        for (step = 1; step <= cfg.steps() && v == null; step++) {
            try {
                v = doStep();
            } catch (RuntimeException e) {
                v = new Violation(SafetyProperty.NO_INTERNAL_ERROR, step, e.toString());
            }
        }
        return new SimulationResult(cfg.seed(), step - 1, v, checker.maxTerm(), checker.leadersElected(),
                checker.maxCommitted(), entriesApplied, delivered, dropped, duplicated, crashes, snapshotsSent,
                proposalsDropped, confChanges);
    }

    private RaftConfig nodeConfig(int id) {
        return RaftConfig.builder(id).electionTick(ELECTION_TICK).heartbeatTick(2).preVote(preVote)
                .checkQuorum(checkQuorum).maxInflightMsgs(maxInflight).maxSizePerMsg(maxSizePerMsg).build();
    }

    private void start(int id) {
        nodes[id] = new RaftNode(nodeConfig(id), disks[id], new SplitMix64(rng.nextLong()), cfg.mutation().rules());
        if (cfg.tracer() != null) nodes[id].setTracer(cfg.tracer());
        // the state machine restarts from the snapshot on disk
        Snapshot s = disks[id].snapshot();
        smIndex[id] = s.index();
        smDigest[id] = decodeDigest(s.data());
    }

    /**
     * Swarm testing: each seed draws its own action mix (cumulative thresholds out of 1000), so some runs are
     * crash-heavy, some partition-heavy, some tick-heavy. Rare interleavings that a single fixed mix almost
     * never produces become common in some part of the swarm.
     */
    private int[] drawActionMix() {
        // deliver, ready, tick, propose, read, transfer, crash, restart, partition, membership change
        int[] base = {400, 240, 150, 80, 15, 5, 3, 37, 8, 6};
        int[] cum = new int[base.length];
        double total = 0;
        double[] w = new double[base.length];
        for (int k = 0; k < base.length; k++) {
            double factor = rng.nextInt(4) == 0 ? 0.25 + rng.nextDouble() * 4 : 1; // a quarter of the weights vary
            w[k] = base[k] * factor;
            total += w[k];
        }
        double acc = 0;
        for (int k = 0; k < base.length; k++) {
            acc += w[k];
            cum[k] = (int) Math.round(acc / total * 1000);
        }
        cum[base.length - 1] = 1000;
        return cum;
    }

    private Violation doStep() {
        int r = rng.nextInt(1000);
        int id = 1 + rng.nextInt(total);
        if (disks[id] == null) id = 1 + rng.nextInt(n); // spares not yet added do not act
        RaftNode node = nodes[id];
        if (r < mix[0]) {
            return deliver();
        } else if (r < mix[1]) {
            if (node == null || !node.hasReady()) return null;
            return processReady(id);
        } else if (r < mix[2]) {
            if (node == null) return null;
            node.tick();
            return after(id, "tick", "");
        } else if (r < mix[3]) {
            if (node == null) return null;
            byte[] data = ("s" + cfg.seed() + "-" + (++proposals)).getBytes(StandardCharsets.UTF_8);
            try {
                node.propose(data);
            } catch (ProposalDroppedException e) {
                proposalsDropped++;
                return after(id, "propose-dropped", e.getMessage());
            }
            return after(id, "propose", new String(data, StandardCharsets.UTF_8));
        } else if (r < mix[4]) {
            if (node == null) return null;
            try {
                node.readIndex(("read" + step).getBytes(StandardCharsets.UTF_8));
            } catch (ProposalDroppedException e) {
                return after(id, "read-index-dropped", e.getMessage());
            }
            return after(id, "read-index", "read" + step);
        } else if (r < mix[5]) {
            if (node == null) return null;
            long to = 1 + rng.nextInt(total);
            node.transferLeadership(to);
            return after(id, "transfer-leadership", "to " + to);
        } else if (r < mix[6]) {
            if (!cfg.crashes() || node == null) return null;
            nodes[id] = null;
            crashes++;
            emit(id, "crash", "");
            return null;
        } else if (r < mix[7]) {
            if (!cfg.crashes() || node != null || disks[id] == null) return null;
            start(id);
            return after(id, "restart", "");
        } else if (r < mix[8]) {
            if (!cfg.partitions()) return null;
            if (rng.nextBoolean()) {
                Arrays.fill(group, 0);
                emit(0, "heal", "");
            } else {
                int leader = 0;
                for (int k = 1; k <= total; k++) if (nodes[k] != null && nodes[k].role() == StateType.LEADER) leader = k;
                if (leader != 0 && rng.nextBoolean()) {
                    // isolate the leader: it keeps accepting proposals that it cannot replicate
                    Arrays.fill(group, 0);
                    group[leader] = 1;
                } else {
                    for (int k = 1; k <= total; k++) group[k] = rng.nextInt(2);
                }
                emit(0, "partition", Arrays.toString(Arrays.copyOfRange(group, 1, total + 1)));
            }
            return null;
        } else if (r < mix[9]) {
            return changeMembership();
        } else {
            // more deliveries: the network is the busiest part
            return deliver();
        }
    }

    /**
     * Asks a live leader for a single-server change: add a spare as learner, promote a learner, or remove a
     * learner or a voter (keeping at least two voters). Spares start with empty storage when first added.
     */
    private Violation changeMembership() {
        int leader = 0;
        for (int k = 1; k <= total; k++) {
            if (nodes[k] != null && nodes[k].role() == StateType.LEADER && (leader == 0 || nodes[k].term() > nodes[leader].term())) leader = k;
        }
        if (leader == 0) return null;
        ConfState cs = nodes[leader].confState();
        List<ConfChange> options = new ArrayList<>();
        for (int k = 1; k <= total; k++) {
            if (!cs.contains(k)) options.add(ConfChange.addLearner(k));
        }
        for (Long l : cs.learners()) {
            options.add(ConfChange.promoteLearner(l));
            options.add(ConfChange.remove(l));
        }
        if (cs.voters().size() > 2) {
            for (Long v : cs.voters()) options.add(ConfChange.remove(v));
        }
        if (options.isEmpty()) return null;
        ConfChange cc = options.get(rng.nextInt(options.size()));
        int target = (int) cc.nodeId();
        if (disks[target] == null) {
            disks[target] = new MemoryStorage();
            start(target);
            emit(target, "start", "empty storage");
        }
        try {
            nodes[leader].proposeConfChange(cc);
        } catch (ProposalDroppedException e) {
            return after(leader, "conf-change-dropped", e.getMessage());
        }
        confChanges++;
        return after(leader, "conf-change", cc.type() + " " + cc.nodeId());
    }

    private Violation deliver() {
        if (network.isEmpty()) return null;
        int k = rng.nextInt(network.size());
        Message m = network.get(k);
        double p = rng.nextDouble();
        int to = (int) m.to();
        boolean lost = p < cfg.dropRate() || nodes[to] == null || group[to] != group[(int) m.from()];
        if (!lost && rng.nextDouble() < cfg.duplicateRate()) {
            duplicated++; // keep it in the network for a second delivery later
            if (cfg.tracer() != null) cfg.tracer().onEvent(RaftTraceEvent.network(RaftTraceEvent.Kind.DUPLICATE, m));
        } else {
            network.set(k, network.get(network.size() - 1));
            network.remove(network.size() - 1);
        }
        RaftNode sender = nodes[(int) m.from()];
        if (lost) {
            dropped++;
            if (cfg.tracer() != null) cfg.tracer().onEvent(RaftTraceEvent.network(RaftTraceEvent.Kind.DROP, m));
            if (sender != null && m.type() == MessageType.SNAP) sender.reportSnapshot(to, true);
            else if (sender != null && m.type() == MessageType.APP && rng.nextInt(4) == 0) sender.reportUnreachable(to);
            emit((int) m.from(), "drop", m.toString());
            return sender != null ? checker.check(step, nodes, (int) m.from()) : null;
        }
        delivered++;
        nodes[to].step(m);
        if (m.type() == MessageType.SNAP && sender != null) {
            sender.reportSnapshot(to, false);
        }
        return after(to, "receive", m.toString());
    }

    private Violation processReady(int id) {
        RaftNode node = nodes[id];
        MemoryStorage disk = disks[id];
        Ready rd = node.ready();
        // 1. persist
        if (rd.snapshot() != null) disk.applySnapshot(rd.snapshot());
        if (rd.hardState() != null) disk.setHardState(rd.hardState());
        disk.append(rd.entries());
        // 2. send
        network.addAll(rd.messages());
        for (Message m : rd.messages()) if (m.type() == MessageType.SNAP) snapshotsSent++;
        // 3. apply
        Violation v = null;
        if (rd.snapshot() != null) {
            smIndex[id] = rd.snapshot().index();
            smDigest[id] = decodeDigest(rd.snapshot().data());
            v = checker.applied(step, id, smIndex[id], smDigest[id]);
        }
        for (Entry e : rd.committedEntries()) {
            if (v != null) break;
            if (e.index() != smIndex[id] + 1) {
                v = new Violation(SafetyProperty.STATE_MACHINE_SAFETY, step,
                        "node " + id + " applies index " + e.index() + " after " + smIndex[id]);
                break;
            }
            smIndex[id] = e.index();
            smDigest[id] = chain(smDigest[id], e);
            entriesApplied++;
            v = checker.applied(step, id, smIndex[id], smDigest[id]);
        }
        // 4. advance
        node.advance(rd);
        if (v != null) return v;
        // occasionally snapshot the state machine and compact the log
        if (cfg.compaction() && smIndex[id] - disk.firstIndex() >= COMPACT_THRESHOLD && rng.nextInt(3) == 0
                && smIndex[id] > disk.snapshot().index() && smIndex[id] <= disk.lastIndex()) {
            disk.createSnapshot(smIndex[id], node.confState(), encodeDigest(smDigest[id]));
            disk.compact(smIndex[id] - KEEP_AFTER_COMPACTION);
            emit(id, "compact", "snapshot at " + smIndex[id]);
        }
        return after(id, "ready", summary(rd));
    }

    private static String summary(Ready rd) {
        return "entries=" + rd.entries().size() + " committed=" + rd.committedEntries().size() + " messages="
                + rd.messages().size() + (rd.snapshot() != null ? " snapshot=" + rd.snapshot().index() : "")
                + (rd.hardState() != null ? " hardState=" + rd.hardState() : "");
    }

    private Violation after(int id, String action, String detail) {
        emit(id, action, detail);
        return checker.check(step, nodes, id);
    }

    private void emit(int id, String action, String detail) {
        SimulationListener l = cfg.listener();
        if (l == null) return;
        RaftNode node = id > 0 ? nodes[id] : null;
        if (node == null) {
            l.onEvent(new SimulationEvent(step, id, action, detail, 0, null, 0, 0, 0));
        } else {
            l.onEvent(new SimulationEvent(step, id, action, detail, node.term(), node.role(), node.leaderId(),
                    node.commitIndex(), node.lastIndex()));
        }
    }

    static long chain(long digest, Entry e) {
        long h = digest * 0x9E3779B97F4A7C15L + e.term() * 31 + e.index();
        h ^= Arrays.hashCode(e.data()) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    private static byte[] encodeDigest(long d) {
        return ByteBuffer.allocate(8).putLong(d).array();
    }

    private static long decodeDigest(byte[] data) {
        return data.length == 8 ? ByteBuffer.wrap(data).getLong() : 0;
    }

    /** Live nodes (null entries are crashed), index = node id. For tests. */
    RaftNode[] nodes() {
        return nodes;
    }

    /** Roles of live nodes, for the command-line summary. */
    public List<StateType> roles() {
        List<StateType> out = new ArrayList<>();
        for (int id = 1; id <= total; id++) out.add(nodes[id] == null ? null : nodes[id].role());
        return out;
    }
}
