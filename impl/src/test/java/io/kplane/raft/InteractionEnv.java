package io.kplane.raft;

import io.kplane.raft.sim.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Drives a cluster of {@link RaftNode}s for the data-driven interaction tests: each command of a script acts on
 * the nodes and returns text that is compared against the expected output in the script.
 */
final class InteractionEnv {

    private final Map<Long, RaftNode> nodes = new TreeMap<>();
    private final Map<Long, MemoryStorage> disks = new TreeMap<>();
    private final Map<Long, List<Entry>> applied = new TreeMap<>();
    /** Messages sent and not yet delivered, in send order. */
    private final List<Message> network = new ArrayList<>();
    private final Set<Long> isolated = new HashSet<>();
    private boolean verbose = true;
    private RaftConfig.Builder template = RaftConfig.builder(1).electionTick(10).heartbeatTick(1);
    /** The rules new nodes run: the standard ones unless a script injects a known bug with {@code mutation=}. */
    private RaftRules rules = RaftRules.STANDARD;

    String run(String command) {
        String[] parts = command.trim().split("\\s+");
        String cmd = parts[0];
        List<String> args = List.of(parts).subList(1, parts.length);
        StringBuilder out = new StringBuilder();
        try {
            switch (cmd) {
                case "add-nodes" -> addNodes(args, out);
                case "add-node" -> addNode(Long.parseLong(args.get(0)), out);
                case "campaign" -> node(args.get(0)).campaign();
                case "propose" -> node(args.get(0)).propose(args.get(1).getBytes(StandardCharsets.UTF_8));
                case "propose-conf-change" -> proposeConfChange(args);
                case "read-index" -> node(args.get(0)).readIndex(args.get(1).getBytes(StandardCharsets.UTF_8));
                case "transfer-leadership" -> node(args.get(0)).transferLeadership(Long.parseLong(args.get(1)));
                case "tick" -> {
                    int n = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1;
                    for (int i = 0; i < n; i++) node(args.get(0)).tick();
                }
                case "tick-election" -> tickElection(node(args.get(0)));
                case "tick-heartbeat" -> {
                    RaftNode n = node(args.get(0));
                    for (int i = 0; i < n.config().heartbeatTick(); i++) n.tick();
                }
                case "stabilize" -> stabilize(ids(args), out);
                case "process-ready" -> {
                    for (long id : ids(args)) processReady(id, out);
                }
                case "deliver-msgs" -> deliver(ids(args), false, out);
                case "drop-msgs" -> deliver(ids(args), true, out);
                case "isolate" -> isolated.add(Long.parseLong(args.get(0)));
                case "heal" -> isolated.clear();
                case "status" -> out.append(RaftText.status(node(args.get(0)))).append('\n');
                case "raft-state" -> {
                    for (RaftNode n : nodes.values()) {
                        out.append(n.id()).append(": ").append(n.role()).append(" term=").append(n.term())
                                .append(" lead=").append(n.leaderId()).append(" commit=").append(n.commitIndex())
                                .append(" last=").append(n.lastIndex()).append('\n');
                    }
                }
                case "raft-log" -> raftLog(node(args.get(0)), out);
                case "applied" -> {
                    long id = Long.parseLong(args.get(0));
                    out.append(RaftText.entries(applied.get(id))).append('\n');
                }
                case "compact" -> compact(Long.parseLong(args.get(0)), Long.parseLong(args.get(1)), out);
                case "log-level" -> verbose = !args.get(0).equals("none");
                default -> throw new IllegalArgumentException("unknown command " + cmd);
            }
        } catch (ProposalDroppedException e) {
            out.append("dropped: ").append(e.getMessage()).append('\n');
        } catch (RuntimeException e) {
            out.append("error: ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append('\n');
        }
        if (out.length() == 0) out.append("ok\n");
        return out.toString();
    }

    private RaftNode node(String id) {
        RaftNode n = nodes.get(Long.parseLong(id));
        if (n == null) throw new IllegalArgumentException("no node " + id);
        return n;
    }

    private List<Long> ids(List<String> args) {
        if (args.isEmpty()) return new ArrayList<>(nodes.keySet());
        List<Long> out = new ArrayList<>();
        for (String a : args) out.add(Long.parseLong(a));
        return out;
    }

    private void addNodes(List<String> args, StringBuilder out) {
        int n = Integer.parseInt(args.get(0));
        for (String a : args.subList(1, args.size())) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "prevote" -> template.preVote(Boolean.parseBoolean(kv[1]));
                case "checkquorum" -> template.checkQuorum(Boolean.parseBoolean(kv[1]));
                case "readonly" -> template.readOnlyOption(kv[1].equals("lease") ? ReadOnlyOption.LEASE_BASED : ReadOnlyOption.SAFE);
                case "maxinflight" -> template.maxInflightMsgs(Integer.parseInt(kv[1]));
                case "maxsize" -> template.maxSizePerMsg(Long.parseLong(kv[1]));
                case "maxinflightbytes" -> template.maxInflightBytes(Long.parseLong(kv[1]));
                case "electiontick" -> template.electionTick(Integer.parseInt(kv[1]));
                case "mutation" -> rules = Mutation.valueOf(kv[1]).rules();
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        ConfState cs = ConfState.ofVoters(ids);
        for (long id : ids) {
            MemoryStorage disk = MemoryStorage.bootstrap(cs);
            start(id, disk);
        }
        out.append("added ").append(n).append(" nodes: ").append(RaftText.confState(cs)).append('\n');
    }

    private void addNode(long id, StringBuilder out) {
        start(id, new MemoryStorage());
        out.append("added node ").append(id).append(" with empty storage\n");
    }

    private void start(long id, MemoryStorage disk) {
        disks.put(id, disk);
        applied.put(id, new ArrayList<>());
        nodes.put(id, RaftNode.create(template.id(id).build(), disk, id * 1_000_003L, rules));
    }

    private void proposeConfChange(List<String> args) {
        RaftNode n = node(args.get(0));
        long target = Long.parseLong(args.get(2));
        ConfChange cc = switch (args.get(1)) {
            case "add-learner" -> ConfChange.addLearner(target);
            case "add-voter" -> ConfChange.addVoter(target);
            case "promote" -> ConfChange.promoteLearner(target);
            case "remove" -> ConfChange.remove(target);
            default -> throw new IllegalArgumentException("unknown conf change " + args.get(1));
        };
        n.proposeConfChange(cc);
    }

    private void tickElection(RaftNode n) {
        int ticks = n.role() == StateType.LEADER ? n.config().electionTick() - n.electionElapsed()
                : Math.max(1, n.randomizedElectionTimeout() - n.electionElapsed());
        for (int i = 0; i < ticks; i++) n.tick();
    }

    private void stabilize(List<Long> ids, StringBuilder out) {
        boolean progress = true;
        int rounds = 0;
        while (progress) {
            if (++rounds > 200) throw new IllegalStateException("stabilize did not converge after 200 rounds");
            if (out.length() > 200_000) throw new IllegalStateException("stabilize output too long");
            progress = false;
            for (long id : ids) progress |= processReady(id, out);
            int before = network.size();
            deliver(ids, false, out);
            progress |= network.size() != before || hasMessagesFor(ids);
        }
    }

    private boolean hasMessagesFor(List<Long> ids) {
        for (Message m : network) if (ids.contains(m.to())) return true;
        return false;
    }

    private boolean processReady(long id, StringBuilder out) {
        RaftNode n = nodes.get(id);
        if (!n.hasReady()) return false;
        Ready rd = n.ready();
        MemoryStorage disk = disks.get(id);
        if (rd.snapshot() != null) disk.applySnapshot(rd.snapshot());
        if (rd.hardState() != null) disk.setHardState(rd.hardState());
        disk.append(rd.entries());
        network.addAll(rd.messages());
        if (rd.snapshot() != null) {
            applied.get(id).clear();
            applied.get(id).add(new Entry(rd.snapshot().term(), rd.snapshot().index(), EntryType.NORMAL,
                    ("snapshot " + rd.snapshot().index()).getBytes(StandardCharsets.UTF_8)));
        }
        applied.get(id).addAll(rd.committedEntries());
        n.advance(rd);
        if (verbose) {
            out.append(id).append(" handling ");
            for (String line : rd.toString().split("\n")) out.append(line.startsWith("Ready") ? line : "  " + line).append('\n');
        }
        return true;
    }

    private void deliver(List<Long> ids, boolean drop, StringBuilder out) {
        List<Message> batch = new ArrayList<>();
        for (Iterator<Message> it = network.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (ids.contains(m.to())) {
                batch.add(m);
                it.remove();
            }
        }
        for (Message m : batch) {
            RaftNode to = nodes.get(m.to());
            boolean cut = drop || to == null || isolated.contains(m.to()) || isolated.contains(m.from());
            if (cut) {
                if (verbose) out.append("dropped: ").append(m).append('\n');
                if (m.type() == MessageType.SNAP && nodes.containsKey(m.from())) nodes.get(m.from()).reportSnapshot(m.to(), true);
                continue;
            }
            if (verbose) out.append(m.to()).append(" receiving ").append(m).append('\n');
            try {
                to.step(m);
            } catch (ProposalDroppedException e) {
                out.append("dropped: ").append(e.getMessage()).append('\n');
            }
            if (m.type() == MessageType.SNAP && nodes.containsKey(m.from())) nodes.get(m.from()).reportSnapshot(m.to(), false);
        }
    }

    private void raftLog(RaftNode n, StringBuilder out) {
        out.append("first=").append(n.firstIndex()).append(" last=").append(n.lastIndex()).append(" commit=").append(n.commitIndex()).append('\n');
        if (n.lastIndex() >= n.firstIndex()) {
            for (Entry e : n.entries(n.firstIndex(), n.lastIndex() + 1)) out.append(RaftText.entry(e)).append('\n');
        }
    }

    private void compact(long id, long index, StringBuilder out) {
        RaftNode n = nodes.get(id);
        MemoryStorage disk = disks.get(id);
        disk.createSnapshot(index, n.confState(), ("state@" + index).getBytes(StandardCharsets.UTF_8));
        disk.compact(index);
        out.append("compacted ").append(id).append(" to ").append(index).append(": first index ").append(disk.firstIndex()).append('\n');
    }
}
