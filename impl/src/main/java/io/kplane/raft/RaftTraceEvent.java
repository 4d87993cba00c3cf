package io.kplane.raft;

import java.util.List;

/**
 * One spec-level step of a Raft node, as handed to a {@link RaftTracer}. The {@code post*} fields are the node's
 * state when the event is emitted, i.e. right after the event's own effect (for {@link Kind#RECEIVE}: when the
 * message is taken, before it is handled; its effects follow as separate events).
 *
 * @param kind      what happened
 * @param node      the node it happened on (for {@link Kind#DROP} / {@link Kind#DUPLICATE}: the message's sender)
 * @param msg       the message sent, received, dropped or duplicated; null for node-local events
 * @param term      post: current term
 * @param state     post: role; null for network events
 * @param commit    post: commit index
 * @param lastIndex post: last log index (the spec's {@code Len(log)})
 * @param vote      post: the vote cast in {@code term} (0 = none)
 * @param voters    for elections and leader commits: the voters of the node's configuration (quorum base); else empty
 * @param count     {@link Kind#CLIENT_REQUEST}: entries appended
 * @param logRuns   {@link Kind#RESTART}: terms of entries firstIndex..lastIndex, run-length encoded as pairs
 *                  (term, count); empty otherwise
 * @param snapIndex {@link Kind#RESTART}: the index before the first entry (snapshot or compaction point)
 * @param snapTerm  {@link Kind#RESTART}: the term at {@code snapIndex}
 * @param transfer  {@link Kind#TIMEOUT}: the election was started by a leadership transfer (no PreVote)
 */
public record RaftTraceEvent(Kind kind, long node, Message msg, long term, StateType state, long commit,
                             long lastIndex, long vote, List<Long> voters, int count, long[] logRuns,
                             long snapIndex, long snapTerm, boolean transfer) {

    /** Event kinds; {@link #specName()} is the event name in {@code tla/TraceRaft.tla}. */
    public enum Kind {
        /** Started (or restarted) from storage: the initial state of this incarnation. */
        RESTART("Restart"),
        /** Election timer fired (or a transfer's TimeoutNow): became pre-candidate, or candidate without PreVote. */
        TIMEOUT("Timeout"),
        /** A pre-candidate with a quorum of pre-votes became candidate (term + 1). */
        START_ELECTION("StartElection"),
        /** A candidate with a quorum of votes became leader (and appended its empty entry). */
        BECOME_LEADER("BecomeLeader"),
        /** Became follower: a newer term was seen, an election was lost, CheckQuorum stepped down, ... */
        BECOME_FOLLOWER("BecomeFollower"),
        /** The leader appended {@code count} client entries (proposals or configuration changes). */
        CLIENT_REQUEST("ClientRequest"),
        /** The commit index advanced (leader: by quorum; follower: from the leader's commit or a snapshot). */
        ADVANCE_COMMIT_INDEX("AdvanceCommitIndex"),
        /**
         * The leader's check-quorum tick, with the state at the check (still Leader): a step-down, if any, follows as
         * BecomeFollower.
         */
        CHECK_QUORUM("CheckQuorum"),
        /**
         * A configuration change was applied; the event's voters are the configuration after it. Not in Raft.tla: it
         * tells a trace checker that the run left its initial configuration (a leader that removed itself steps down
         * on the BecomeFollower line that follows, which no Raft.tla action explains).
         */
        APPLY_CONF_CHANGE("ApplyConfChange"),
        /** A message was created for sending. */
        SEND("Send"),
        /** A message from the network was stepped. */
        RECEIVE("Receive"),
        /** The network lost a message (emitted by a simulated network). */
        DROP("Drop"),
        /** The network duplicated a message (emitted by a simulated network). */
        DUPLICATE("Duplicate");

        private final String specName;

        Kind(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }
    }

    /** A network event (no node state). */
    public static RaftTraceEvent network(Kind kind, Message m) {
        return new RaftTraceEvent(kind, m.from(), m, 0, null, 0, 0, 0, List.of(), 0, new long[0], 0, 0, false);
    }
}
