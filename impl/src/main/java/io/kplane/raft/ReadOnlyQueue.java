package io.kplane.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's pending read-index requests (ReadOnlyOption.SAFE). Each request records the commit index when it
 * arrived; a heartbeat round carrying the context of the newest request, once acknowledged by a quorum,
 * confirms every request queued up to it — that is how one round serves a whole batch.
 */
final class ReadOnlyQueue {

    static final class Status {
        final Message request;
        final long index;
        final Set<Long> acks;

        Status(Message request, long index, Set<Long> acks) {
            this.request = request;
            this.index = index;
            this.acks = acks;
        }
    }

    private final Map<ByteBuffer, Status> pending = new HashMap<>();
    private final ArrayList<ByteBuffer> queue = new ArrayList<>();

    ReadOnlyQueue copy() {
        ReadOnlyQueue c = new ReadOnlyQueue();
        for (ByteBuffer k : queue) {
            Status s = pending.get(k);
            c.pending.put(k, new Status(s.request, s.index, new HashSet<>(s.acks)));
            c.queue.add(k);
        }
        return c;
    }

    void add(long index, Message m) {
        ByteBuffer key = ByteBuffer.wrap(m.context());
        if (pending.containsKey(key)) return;
        pending.put(key, new Status(m, index, new HashSet<>()));
        queue.add(key);
    }

    /** Records an ack for the round with this context; returns the acks so far, or null if unknown. */
    Set<Long> ack(long from, byte[] context) {
        Status s = pending.get(ByteBuffer.wrap(context));
        if (s == null) return null;
        s.acks.add(from);
        return s.acks;
    }

    /** Removes and returns every request up to and including the one with this context. */
    List<Status> advance(byte[] context) {
        ByteBuffer key = ByteBuffer.wrap(context);
        int at = queue.indexOf(key);
        if (at < 0) return List.of();
        List<Status> out = new ArrayList<>(at + 1);
        for (int k = 0; k <= at; k++) out.add(pending.remove(queue.get(k)));
        queue.subList(0, at + 1).clear();
        return out;
    }

    /** Context of the newest pending request, or null. */
    byte[] lastPendingContext() {
        if (queue.isEmpty()) return null;
        ByteBuffer b = queue.get(queue.size() - 1);
        return b.array();
    }

    int size() {
        return queue.size();
    }

    long fingerprint() {
        return fingerprint(null);
    }

    /** As {@link #fingerprint()} with node ids renamed by {@code relabel} (see {@link RaftNode#fingerprint(long[])}). */
    long fingerprint(long[] relabel) {
        long h = queue.size();
        for (ByteBuffer k : queue) {
            Status s = pending.get(k);
            h = h * 31 + k.hashCode();
            h = h * 31 + s.index;
            h = h * 31 + RaftNode.relabel(relabel, s.request.from());
            h = h * 31 + s.acks.stream().mapToLong(a -> RaftNode.relabel(relabel, a)).sorted().reduce(17, (a, b) -> a * 31 + b);
        }
        return h;
    }
}
