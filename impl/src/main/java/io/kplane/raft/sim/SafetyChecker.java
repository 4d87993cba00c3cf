package io.kplane.raft.sim;

import io.kplane.raft.Entry;
import io.kplane.raft.RaftNode;
import io.kplane.raft.StateType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Checks the Raft safety properties over the live nodes of a simulation, incrementally: after each step only
 * the node that acted is examined against the global records (leaders per term, committed entries, state
 * machine hashes per applied index) and against the other nodes' logs.
 */
final class SafetyChecker {

    private final HashMap<Long, Long> leaderOfTerm = new HashMap<>();
    /** Leader Append-Only: the log each node had when last seen as leader, and in which term. */
    private final long[] trackTerm;
    private final long[] trackFirst;
    private final List<List<Entry>> trackLog = new ArrayList<>();
    /** Committed entries by index (null = not known committed), and the term in which commit was first seen. */
    private final ArrayList<Entry> committed = new ArrayList<>();
    private final ArrayList<Long> commitTerm = new ArrayList<>();
    private final long[] seenCommit;
    private final HashMap<Long, Long> digestAt = new HashMap<>();
    private long maxTerm;
    private long maxCommitted;

    SafetyChecker(int n) {
        trackTerm = new long[n + 1];
        trackFirst = new long[n + 1];
        seenCommit = new long[n + 1];
        for (int i = 0; i <= n; i++) trackLog.add(List.of());
    }

    long maxTerm() {
        return maxTerm;
    }

    long leadersElected() {
        return leaderOfTerm.size();
    }

    long maxCommitted() {
        return maxCommitted;
    }

    /** State Machine Safety: every node's state machine has the same hash after applying index i. */
    Violation applied(long step, int id, long index, long digest) {
        Long prev = digestAt.putIfAbsent(index, digest);
        if (prev != null && prev != digest) {
            return new Violation(SafetyProperty.STATE_MACHINE_SAFETY, step,
                    "node " + id + " state machine differs from another node's after applying index " + index);
        }
        return null;
    }

    Violation check(long step, RaftNode[] nodes, int id) {
        RaftNode node = nodes[id];
        if (node == null) return null;
        long term = node.term();
        maxTerm = Math.max(maxTerm, term);
        long first = node.firstIndex();
        long last = node.lastIndex();
        List<Entry> log = last >= first ? node.entries(first, last + 1) : List.of();
        boolean leader = node.role() == StateType.LEADER;

        if (leader) {
            Long prev = leaderOfTerm.putIfAbsent(term, (long) id);
            if (prev != null && prev != id) {
                return new Violation(SafetyProperty.ELECTION_SAFETY, step, "nodes " + prev + " and " + id + " are both leaders of term " + term);
            }
            if (trackTerm[id] == term) {
                List<Entry> old = trackLog.get(id);
                long oldFirst = trackFirst[id];
                for (int k = 0; k < old.size(); k++) {
                    long i = oldFirst + k;
                    if (i < first) continue;
                    if (i > last || !log.get((int) (i - first)).sameAs(old.get(k))) {
                        return new Violation(SafetyProperty.LEADER_APPEND_ONLY, step, "leader " + id + " of term " + term
                                + " lost or changed entry " + old.get(k) + (i > last ? " (log now ends at " + last + ")" : " (now " + log.get((int) (i - first)) + ")"));
                    }
                }
            }
            trackTerm[id] = term;
            trackFirst[id] = first;
            trackLog.set(id, log);
        } else {
            trackTerm[id] = 0;
            trackLog.set(id, List.of());
        }

        // Record newly committed entries; two different entries committed at one index break state machine safety.
        long commit = Math.min(node.commitIndex(), last);
        for (long i = Math.max(seenCommit[id] + 1, first); i <= commit; i++) {
            Entry e = log.get((int) (i - first));
            while (committed.size() <= i) {
                committed.add(null);
                commitTerm.add(0L);
            }
            Entry known = committed.get((int) i);
            if (known == null) {
                committed.set((int) i, e);
                commitTerm.set((int) i, term);
            } else if (!known.sameAs(e)) {
                return new Violation(SafetyProperty.STATE_MACHINE_SAFETY, step, "node " + id + " committed " + e
                        + " but " + known + " was committed at the same index");
            }
        }
        seenCommit[id] = Math.max(seenCommit[id], node.commitIndex());
        maxCommitted = Math.max(maxCommitted, node.commitIndex());

        if (leader) {
            for (long i = Math.max(first, 1); i < committed.size(); i++) {
                Entry c = committed.get((int) i);
                if (c == null || commitTerm.get((int) i) >= term) continue;
                if (i > last || !log.get((int) (i - first)).sameAs(c)) {
                    return new Violation(SafetyProperty.LEADER_COMPLETENESS, step, "leader " + id + " of term " + term
                            + " lacks committed entry " + c + (i > last ? " (log ends at " + last + ")" : " (has " + log.get((int) (i - first)) + ")"));
                }
            }
        }

        for (int j = 1; j < nodes.length; j++) {
            if (j == id || nodes[j] == null) continue;
            Violation v = logMatching(step, id, first, log, j, nodes[j]);
            if (v != null) return v;
        }
        return null;
    }

    private static Violation logMatching(long step, int a, long firstA, List<Entry> logA, int b, RaftNode nb) {
        long firstB = nb.firstIndex();
        long lastB = nb.lastIndex();
        long lo = Math.max(firstA, firstB);
        long hi = Math.min(firstA + logA.size() - 1, lastB);
        if (hi < lo) return null;
        List<Entry> logB = nb.entries(lo, hi + 1);
        long i = hi;
        while (i >= lo && logA.get((int) (i - firstA)).term() != logB.get((int) (i - lo)).term()) i--;
        for (; i >= lo; i--) {
            Entry x = logA.get((int) (i - firstA));
            Entry y = logB.get((int) (i - lo));
            if (!x.sameAs(y)) {
                return new Violation(SafetyProperty.LOG_MATCHING, step, "nodes " + a + " and " + b
                        + " share an entry of the same index and term above index " + i + " but differ at " + i + ": " + x + " vs " + y);
            }
        }
        return null;
    }
}
