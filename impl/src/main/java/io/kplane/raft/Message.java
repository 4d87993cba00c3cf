package io.kplane.raft;

import java.util.List;

/**
 * A Raft message (etcd-io/raft's {@code raftpb.Message}). Immutable; build with {@link #of} and the
 * {@code with*} methods.
 *
 * <ul>
 *   <li>{@code APP}: {@code index}/{@code logTerm} identify the entry before {@code entries}; {@code commit} is
 *       the leader's commit index.</li>
 *   <li>{@code APP_RESP}: {@code index} is the follower's last matching index, or on {@code reject} the rejected
 *       index with {@code rejectHint}/{@code logTerm} pointing at a probable match.</li>
 *   <li>{@code VOTE}/{@code PRE_VOTE}: {@code index}/{@code logTerm} describe the candidate's last entry;
 *       {@code context} is {@link RaftNode#CAMPAIGN_TRANSFER} for a leadership transfer.</li>
 *   <li>{@code HEARTBEAT(_RESP)}: {@code context} carries the read-index request being confirmed.</li>
 *   <li>{@code READ_INDEX(_RESP)}: {@code context} identifies the read, {@code index} is the read index.</li>
 * </ul>
 */
public record Message(MessageType type, long to, long from, long term, long logTerm, long index,
                      List<Entry> entries, long commit, boolean reject, long rejectHint, Snapshot snapshot,
                      byte[] context) {

    private static final byte[] NO_CONTEXT = new byte[0];

    public Message {
        if (entries == null) entries = List.of();
        if (context == null) context = NO_CONTEXT;
    }

    public static Message of(MessageType type, long from, long to) {
        return new Message(type, to, from, 0, 0, 0, List.of(), 0, false, 0, null, null);
    }

    public Message withTo(long v) {
        return new Message(type, v, from, term, logTerm, index, entries, commit, reject, rejectHint, snapshot, context);
    }

    public Message withFrom(long v) {
        return new Message(type, to, v, term, logTerm, index, entries, commit, reject, rejectHint, snapshot, context);
    }

    public Message withTerm(long v) {
        return new Message(type, to, from, v, logTerm, index, entries, commit, reject, rejectHint, snapshot, context);
    }

    public Message withLog(long newLogTerm, long newIndex) {
        return new Message(type, to, from, term, newLogTerm, newIndex, entries, commit, reject, rejectHint, snapshot,
                context);
    }

    public Message withIndex(long v) {
        return new Message(type, to, from, term, logTerm, v, entries, commit, reject, rejectHint, snapshot, context);
    }

    public Message withEntries(List<Entry> v) {
        return new Message(type, to, from, term, logTerm, index, List.copyOf(v), commit, reject, rejectHint, snapshot,
                context);
    }

    public Message withCommit(long v) {
        return new Message(type, to, from, term, logTerm, index, entries, v, reject, rejectHint, snapshot, context);
    }

    public Message withReject(boolean v, long hint) {
        return new Message(type, to, from, term, logTerm, index, entries, commit, v, hint, snapshot, context);
    }

    public Message withSnapshot(Snapshot v) {
        return new Message(type, to, from, term, logTerm, index, entries, commit, reject, rejectHint, v, context);
    }

    public Message withContext(byte[] v) {
        return new Message(type, to, from, term, logTerm, index, entries, commit, reject, rejectHint, snapshot, v);
    }

    @Override
    public String toString() {
        return RaftText.message(this);
    }
}
