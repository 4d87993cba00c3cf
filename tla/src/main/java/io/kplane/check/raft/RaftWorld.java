package io.kplane.check.raft;

import io.kplane.raft.Message;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.RaftNode;
import java.util.List;

/**
 * One state of the Raft world: the nodes (real {@link RaftNode}s with their {@link MemoryStorage}),
 * the network as a multiset of in-flight messages, fault budgets used so far, and history used
 * only by invariants. Immutable from the explorer's point of view: a successor copies the node it
 * changes and shares the others.
 *
 * @param nodes     nodes[i] has id i + 1 (a crash restarts the node at once from its disk)
 * @param applied   what each node's state machine has applied since it last started (a crash
 *                  loses it; the restarted node applies again from its log), for StateMachineSafety
 * @param disks     what each node has made durable, when the shell persists lazily (mutation
 *                  ACK_BEFORE_PERSIST); null in the correct shell, where persisting is synchronous
 * @param network   in-flight messages (order irrelevant: any can be delivered next)
 * @param ticks     timer events (Tick actions) so far
 * @param restarts  crash/restarts performed
 * @param drops     messages dropped
 * @param duplicates messages duplicated
 * @param proposals client proposals accepted by a leader
 * @param reads     client read-index requests issued
 * @param compactions log compactions (a snapshot of the applied state replaces the log's prefix)
 * @param elected   history: term * 64 + id of every leader observed (for ElectionSafety)
 * @param panic     the exception the core threw on the last step (an internal assertion such as
 *                  "commit out of range" — etcd's raft panics there too), or null
 * @param steadyLeader history for LeaderNotDisrupted: term * 64 + id of the leader whose quorum has
 *                  been live in every state since it first was (0: none)
 * @param spoiledTerm history: the highest term in which a leader's live quorum was lost (a leader
 *                  of that term or below cannot become steady again)
 * @param disrupted  a description of the step in which a message from outside a steady leader's
 *                  live quorum deposed it or raised a live follower's term, or null
 * @param committed history: entries known committed, with the smallest term in which a node
 *                  was seen committing them (for LeaderCompleteness)
 */
public record RaftWorld(RaftNode[] nodes, AppliedLog[] applied, MemoryStorage[] disks, List<Message> network, int ticks, int restarts, int drops, int duplicates,
                        int proposals, int reads, int compactions, long[] elected, List<CommittedEntry> committed,
                        String panic, long steadyLeader, long spoiledTerm, String disrupted) {

    /** An entry known to be committed. */
    public record CommittedEntry(long index, long entryTerm, int dataHash, long commitTerm) {}

    /**
     * The entries a state machine applied, in order: {@code ids[k]} is the entry at index
     * {@code first + k}, identified by {@link #entryId}.
     */
    public record AppliedLog(long first, long[] ids) {
        static final AppliedLog EMPTY = new AppliedLog(1, new long[0]);

        long last() {
            return first + ids.length - 1;
        }

        long at(long index) {
            return ids[(int) (index - first)];
        }
    }

    /** An entry's identity for comparisons across nodes: its term and a hash of its type and data. */
    public static long entryId(io.kplane.raft.Entry e) {
        return e.term() << 32 | ((e.type().ordinal() * 31L + java.util.Arrays.hashCode(e.data())) & 0xffff_ffffL);
    }

    public int size() {
        return nodes.length;
    }
}
