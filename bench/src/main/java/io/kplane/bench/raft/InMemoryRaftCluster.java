package io.kplane.bench.raft;

import io.kplane.raft.ConfState;
import io.kplane.raft.Entry;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.Message;
import io.kplane.raft.RaftConfig;
import io.kplane.raft.RaftNode;
import io.kplane.raft.Ready;
import java.util.ArrayDeque;
import java.util.List;

/**
 * N Raft cores wired together in one thread, no disk, no network: each Ready is "persisted" into
 * the node's {@link MemoryStorage}, its messages are delivered by {@code step} on the target, and
 * committed entries are counted as applied. Measures the cost of the protocol itself.
 */
public final class InMemoryRaftCluster {

    private final RaftNode[] nodes;
    private final MemoryStorage[] storages;
    private final long[] applied;
    private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    private long appliedEntries;

    public InMemoryRaftCluster(int size, long seed) {
        nodes = new RaftNode[size];
        storages = new MemoryStorage[size];
        applied = new long[size];
        long[] ids = new long[size];
        for (int i = 0; i < size; i++) {
            ids[i] = i + 1;
        }
        for (int i = 0; i < size; i++) {
            storages[i] = MemoryStorage.bootstrap(ConfState.ofVoters(ids));
            nodes[i] = RaftNode.create(RaftConfig.builder(i + 1).maxInflightMsgs(4096).build(), storages[i], seed + i);
        }
        nodes[0].campaign();
        pump();
        if (nodes[0].leaderId() != 1) {
            throw new IllegalStateException("node 1 did not win the election");
        }
    }

    /** The leader (node 1). */
    public RaftNode leader() {
        return nodes[0];
    }

    /** Entries applied on node 1 so far. */
    public long appliedOnLeader() {
        return applied[0];
    }

    /** Handles Readies and delivers messages until nothing is left to do. */
    public void pump() {
        boolean work = true;
        while (work) {
            work = false;
            for (int i = 0; i < nodes.length; i++) {
                while (nodes[i].hasReady()) {
                    work = true;
                    Ready rd = nodes[i].ready();
                    if (rd.snapshot() != null) {
                        storages[i].applySnapshot(rd.snapshot());
                    }
                    if (rd.hardState() != null) {
                        storages[i].setHardState(rd.hardState());
                    }
                    storages[i].append(rd.entries());
                    inFlight.addAll(rd.messages());
                    List<Entry> committed = rd.committedEntries();
                    if (!committed.isEmpty()) {
                        applied[i] = committed.get(committed.size() - 1).index();
                        if (i == 0) {
                            appliedEntries += committed.size();
                        }
                    }
                    nodes[i].advance(rd);
                }
            }
            Message m;
            while ((m = inFlight.poll()) != null) {
                work = true;
                nodes[(int) m.to() - 1].step(m);
            }
        }
    }

    /** Releases old entries (all members have applied them), as snapshots would. */
    public void compact(long keep) {
        long min = Long.MAX_VALUE;
        for (long a : applied) {
            min = Math.min(min, a);
        }
        long to = min - keep;
        for (MemoryStorage s : storages) {
            if (to > s.firstIndex()) {
                s.compact(to);
            }
        }
    }
}
