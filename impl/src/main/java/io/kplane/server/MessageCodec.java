package io.kplane.server;

import io.kplane.raft.ConfState;
import io.kplane.raft.Entry;
import io.kplane.raft.EntryType;
import io.kplane.raft.Message;
import io.kplane.raft.MessageType;
import io.kplane.raft.Snapshot;
import io.kplane.raft.SnapshotMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of batches of Raft {@link Message}s (the body of a {@link PeerWire#RAFT} frame),
 * and of {@link ConfState} (snapshot metadata in the WAL).
 *
 * <p>Compact: numbers are unsigned LEB128 varints (a heartbeat is ~12 bytes), byte strings are a
 * varint length plus the bytes. Batch: {@code count, message*}. Message: {@code type, to, from,
 * term, logTerm, index, commit, flags (bit 0 reject, bit 1 has snapshot), rejectHint, context,
 * entryCount, entry*, [snapshot]}. Entry: {@code term, index, type, data}. Snapshot:
 * {@code index, term, confState, data}. ConfState: {@code voterCount, voter*, learnerCount, learner*}.
 * Enum values travel as their ordinal: all members run the same build.
 */
public final class MessageCodec {

    private static final MessageType[] TYPES = MessageType.values();
    private static final EntryType[] ENTRY_TYPES = EntryType.values();

    private MessageCodec() {
    }

    /** Encodes {@code messages} into a fresh buffer, ready to read. */
    public static ByteBuffer encodeBatch(List<Message> messages) {
        Writer w = new Writer(estimate(messages));
        w.varint(messages.size());
        for (Message m : messages) {
            encode(w, m);
        }
        return w.done();
    }

    /**
     * Decodes a batch.
     *
     * @throws IllegalArgumentException when the bytes are not a well-formed batch
     */
    public static List<Message> decodeBatch(ByteBuffer in) {
        try {
            int count = Math.toIntExact(varint(in));
            List<Message> out = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                out.add(decode(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after a batch of " + count);
            }
            return out;
        } catch (java.nio.BufferUnderflowException | ArithmeticException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated or malformed Raft batch", e);
        }
    }

    /** Encodes a configuration. */
    public static byte[] encodeConfState(ConfState cs) {
        Writer w = new Writer(64);
        confState(w, cs);
        ByteBuffer b = w.done();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Decodes a configuration written by {@link #encodeConfState}. */
    public static ConfState decodeConfState(byte[] bytes) {
        return confState(ByteBuffer.wrap(bytes));
    }

    private static int estimate(List<Message> messages) {
        int size = 16;
        for (Message m : messages) {
            size += 80 + m.context().length;
            for (Entry e : m.entries()) {
                size += 24 + e.data().length;
            }
            if (m.snapshot() != null) {
                size += 64 + m.snapshot().data().length + 10 * m.snapshot().metadata().confState().voters().size();
            }
        }
        return size;
    }

    private static void encode(Writer w, Message m) {
        w.varint(m.type().ordinal());
        w.varint(m.to());
        w.varint(m.from());
        w.varint(m.term());
        w.varint(m.logTerm());
        w.varint(m.index());
        w.varint(m.commit());
        w.varint((m.reject() ? 1 : 0) | (m.snapshot() != null ? 2 : 0));
        w.varint(m.rejectHint());
        w.bytes(m.context());
        w.varint(m.entries().size());
        for (Entry e : m.entries()) {
            w.varint(e.term());
            w.varint(e.index());
            w.varint(e.type().ordinal());
            w.bytes(e.data());
        }
        if (m.snapshot() != null) {
            Snapshot s = m.snapshot();
            w.varint(s.index());
            w.varint(s.term());
            confState(w, s.metadata().confState());
            w.bytes(s.data());
        }
    }

    private static Message decode(ByteBuffer in) {
        int type = (int) varint(in);
        if (type < 0 || type >= TYPES.length) {
            throw new IllegalArgumentException("unknown message type " + type);
        }
        long to = varint(in);
        long from = varint(in);
        long term = varint(in);
        long logTerm = varint(in);
        long index = varint(in);
        long commit = varint(in);
        long flags = varint(in);
        long rejectHint = varint(in);
        byte[] context = bytes(in);
        int n = Math.toIntExact(varint(in));
        List<Entry> entries = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            long eTerm = varint(in);
            long eIndex = varint(in);
            int eType = (int) varint(in);
            if (eType < 0 || eType >= ENTRY_TYPES.length) {
                throw new IllegalArgumentException("unknown entry type " + eType);
            }
            entries.add(new Entry(eTerm, eIndex, ENTRY_TYPES[eType], bytes(in)));
        }
        Snapshot snapshot = null;
        if ((flags & 2) != 0) {
            long sIndex = varint(in);
            long sTerm = varint(in);
            ConfState cs = confState(in);
            snapshot = new Snapshot(new SnapshotMetadata(sIndex, sTerm, cs), bytes(in));
        }
        return new Message(TYPES[type], to, from, term, logTerm, index, List.copyOf(entries), commit,
                (flags & 1) != 0, rejectHint, snapshot, context);
    }

    private static void confState(Writer w, ConfState cs) {
        w.varint(cs.voters().size());
        for (long v : cs.voters()) {
            w.varint(v);
        }
        w.varint(cs.learners().size());
        for (long l : cs.learners()) {
            w.varint(l);
        }
    }

    private static ConfState confState(ByteBuffer in) {
        int nv = Math.toIntExact(varint(in));
        List<Long> voters = new ArrayList<>();
        for (int i = 0; i < nv; i++) {
            voters.add(varint(in));
        }
        int nl = Math.toIntExact(varint(in));
        List<Long> learners = new ArrayList<>();
        for (int i = 0; i < nl; i++) {
            learners.add(varint(in));
        }
        return new ConfState(voters, learners);
    }

    static long varint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = Math.toIntExact(varint(in));
        if (length > in.remaining()) {
            throw new IllegalArgumentException("byte string of " + length + " bytes runs past the frame");
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    /** A growable big-endian writer. */
    private static final class Writer {
        private byte[] buf;
        private int pos;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7fL) != 0) {
                buf[pos++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void bytes(byte[] b) {
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        ByteBuffer done() {
            return ByteBuffer.wrap(buf, 0, pos);
        }
    }
}
