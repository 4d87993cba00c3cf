package io.kplane.check.raft;

import io.kplane.raft.Message;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.RaftNode;
import io.kplane.raft.Ready;
import io.kplane.raft.StateType;
import java.util.ArrayDeque;

/**
 * Bounded liveness, checked from one state: what happens once the faults stop. From the state the
 * world runs on private copies of its nodes under the schedule Raft's liveness argument assumes —
 * no more drops, duplicates or restarts, every message delivered, and messages much faster than
 * the clock (broadcast time &lt;&lt; election timeout): a round ticks each node once, in turn, and
 * after each tick every message in flight (and every message that causes) is delivered before the
 * next node ticks. The explorer's own {@code Tick} abstraction runs one node's clock to its next
 * timer and lets the others stand still, which covers every interleaving of timers but is not a
 * fair clock; this one is.
 *
 * <p>The property ({@code LeaderElectedAfterFaults}): within {@code electWithin} rounds a leader
 * holds the highest term with a quorum following it (itself and followers that name it as leader
 * in its term), and it stays leader of that term for the next {@code stayFor} rounds. The first
 * half is "a leader is elected once faults stop"; the second catches a cluster that elects
 * leaders and then deposes them while nothing fails (for example followers whose election timer
 * a heartbeat does not reset).
 *
 * <p>Deterministic: message order is the state's network order, then send order.
 */
public final class AfterFaults {
    /** Messages one round may deliver before the run is called a message storm (a failure). */
    private static final int MAX_DELIVERIES_PER_ROUND = 10_000;

    private final int electWithin;
    private final int stayFor;

    /** Rounds to elect a leader and rounds it must then keep leading. */
    public AfterFaults(int electWithin, int stayFor) {
        if (electWithin < 1 || stayFor < 0) {
            throw new IllegalArgumentException("electWithin >= 1 and stayFor >= 0 rounds, got " + electWithin + ", " + stayFor);
        }
        this.electWithin = electWithin;
        this.stayFor = stayFor;
    }

    public int electWithin() {
        return electWithin;
    }

    public int stayFor() {
        return stayFor;
    }

    /**
     * What the fault-free run from {@code w} did.
     *
     * @param holds       the property held
     * @param electedAt   the round in which the leader was first seen with its quorum (0: before any
     *                    tick, -1: never)
     * @param leader      that leader's id (0: none)
     * @param term        its term
     * @param explanation why it failed, or a one-line account of success
     */
    public record Outcome(boolean holds, int electedAt, long leader, long term, String explanation) {}

    /** Runs the fault-free schedule from {@code w}; {@code w} itself is not changed. */
    public Outcome run(RaftWorld w) {
        int n = w.size();
        RaftNode[] nodes = new RaftNode[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = w.nodes()[i].copy();
        }
        ArrayDeque<Message> network = new ArrayDeque<>(w.network());
        try {
            for (int i = 0; i < n; i++) {
                drain(nodes, i, network);
            }
            if (!deliverAll(nodes, network)) {
                return stormed(0);
            }
            long leader = stableLeader(nodes);
            int electedAt = leader != 0 ? 0 : -1;
            long term = leader != 0 ? nodes[(int) leader - 1].term() : 0;
            for (int round = 1; round <= electWithin + stayFor; round++) {
                for (int i = 0; i < n; i++) {
                    nodes[i].tick();
                    drain(nodes, i, network);
                    if (!deliverAll(nodes, network)) {
                        return stormed(round);
                    }
                    if (leader != 0) {
                        RaftNode l = nodes[(int) leader - 1];
                        if (l.role() != StateType.LEADER || l.term() != term) {
                            return new Outcome(false, electedAt, leader, term, RaftModel.id(leader) + ", elected leader of term " + term
                                    + " in round " + electedAt + " after the faults stopped, was " + l.role() + " in term " + l.term()
                                    + " by round " + round + " though nothing failed (" + roles(nodes) + ")");
                        }
                    } else {
                        leader = stableLeader(nodes);
                        if (leader != 0) {
                            electedAt = round;
                            term = nodes[(int) leader - 1].term();
                        }
                    }
                }
                if (leader == 0 && round >= electWithin) {
                    return new Outcome(false, -1, 0, 0, "no leader with a quorum " + electWithin + " rounds after the faults stopped ("
                            + roles(nodes) + ")");
                }
                if (leader != 0 && round >= electedAt + stayFor) {
                    break;
                }
            }
            return new Outcome(true, electedAt, leader, term, RaftModel.id(leader) + " leads term " + term + " from round " + electedAt
                    + " after the faults stopped and still leads " + stayFor + " rounds later");
        } catch (RuntimeException e) {
            return new Outcome(false, -1, 0, 0, "the core threw after the faults stopped: " + e);
        }
    }

    private static Outcome stormed(int round) {
        return new Outcome(false, -1, 0, 0, "more than " + MAX_DELIVERIES_PER_ROUND + " messages in round " + round
                + " after the faults stopped (a message storm)");
    }

    /** The shell of {@link RaftModel}, minus the history: persist, send, advance. */
    private static void drain(RaftNode[] nodes, int i, ArrayDeque<Message> network) {
        RaftNode node = nodes[i];
        while (node.hasReady()) {
            Ready rd = node.ready();
            RaftModel.persist((MemoryStorage) node.storage(), rd);
            network.addAll(rd.messages());
            node.advance(rd);
        }
    }

    /** Delivers until nothing is in flight; false if that takes more than the cap. */
    private static boolean deliverAll(RaftNode[] nodes, ArrayDeque<Message> network) {
        for (int delivered = 0; !network.isEmpty(); delivered++) {
            if (delivered == MAX_DELIVERIES_PER_ROUND) {
                return false;
            }
            Message m = network.poll();
            int to = (int) m.to() - 1;
            nodes[to].step(m);
            drain(nodes, to, network);
        }
        return true;
    }

    /** The leader of the highest term that a quorum (itself included) follows, or 0. */
    static long stableLeader(RaftNode[] nodes) {
        long maxTerm = 0;
        for (RaftNode x : nodes) {
            maxTerm = Math.max(maxTerm, x.term());
        }
        for (RaftNode l : nodes) {
            if (l.role() != StateType.LEADER || l.term() != maxTerm) {
                continue;
            }
            int following = 1;
            for (RaftNode f : nodes) {
                if (f != l && f.role() == StateType.FOLLOWER && f.term() == l.term() && f.leaderId() == l.id()) {
                    following++;
                }
            }
            if (following > nodes.length / 2) {
                return l.id();
            }
        }
        return 0;
    }

    private static String roles(RaftNode[] nodes) {
        StringBuilder b = new StringBuilder();
        for (RaftNode x : nodes) {
            b.append(b.length() == 0 ? "" : ", ").append(RaftModel.id(x.id())).append(' ').append(x.role()).append(" t").append(x.term());
        }
        return b.toString();
    }
}
