package io.kplane.server;

import io.kplane.raft.Entry;
import io.kplane.raft.Message;
import io.kplane.raft.MessageType;
import io.kplane.raft.RaftTraceEvent;
import io.kplane.raft.RaftTracer;
import io.kplane.raft.StateType;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@link RaftTraceEvent}s as NDJSON in the vocabulary of {@code tla/TraceRaft.tla}, one line per event:
 *
 * <pre>{"ts":1764124800123456,"member":"n1","seq":7,"event":"Receive","node":"s1",
 *  "msg":{"type":"RequestVoteRequest","source":"s2","dest":"s1","term":3,"prevote":true,"logTerm":2,"index":5},
 *  "post":{"term":2,"state":"Follower","commitIndex":4,"logLength":5,"vote":null}}</pre>
 *
 * {@code ts} (microseconds since the epoch, never decreasing within one writer) and {@code member} are written
 * when the writer is made for a real process ({@link #open}), so that the files of several members can be merged
 * into one trace by time ({@code kplane check trace}); {@code seq} counts this writer's lines. Node names are
 * {@code "s" + hex(id)}.
 *
 * <h2>Cost and durability</h2>
 * Lines are formatted on the caller's (raft agent's) thread into a 64 KiB buffer; there is no I/O per line. The
 * buffer is written out by {@link #flush()}, which the store calls before handing a Ready's messages to the
 * transport — so every message a peer can receive has its Send line in the OS page cache even if this process
 * is then killed with SIGKILL — and by a daemon thread every 200 ms, and on {@link #close()}. A flush is one
 * {@code write(2)} (no fsync). Lines of a killed process that were not flushed are lost from its end only.
 */
public final class NdjsonTraceWriter implements RaftTracer, Closeable {

    private final Writer out;
    private final String member;
    private final boolean stamp;
    private final Clock clock = Clock.systemUTC();
    private final StringBuilder line = new StringBuilder(256);
    private String prefix = "";
    private long seq;
    private long lastTs;
    private long lines;
    private long bytes;
    private Thread flusher;
    private volatile boolean closed;
    private IOException error;

    /**
     * @param out    destination (buffered by the caller or not; this class adds no buffering of its own)
     * @param member member name written on every line, or null
     * @param stamp  write a wall-clock {@code ts} on every line
     */
    public NdjsonTraceWriter(Writer out, String member, boolean stamp) {
        this.out = out;
        this.member = member;
        this.stamp = stamp;
    }

    /**
     * A writer appending to {@code file} (created if absent: a restarted member continues its own file) with
     * wall-clock stamps and the member name, flushed every 200 ms by a daemon thread. If the previous writer was
     * killed in the middle of a line, that line is ended first (the reader skips it as torn).
     */
    public static NdjsonTraceWriter open(Path file, String member) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean tornTail = false;
        if (Files.exists(file) && Files.size(file) > 0) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
                java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
                ch.read(last, ch.size() - 1);
                tornTail = last.get(0) != '\n';
            }
        }
        BufferedWriter w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
        if (tornTail) {
            w.write('\n'); // the previous incarnation was killed mid-line: end that line, keep ours whole
        }
        NdjsonTraceWriter t = new NdjsonTraceWriter(w, member, true);
        t.flusher = new Thread(() -> {
            while (!t.closed) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                t.flush();
            }
        }, "trace-flush-" + member);
        t.flusher.setDaemon(true);
        t.flusher.start();
        return t;
    }

    /** Raw JSON fields (e.g. {@code "seed":3}) written after the stamp on every following line. */
    public synchronized void setFields(String jsonFields) {
        prefix = jsonFields == null || jsonFields.isEmpty() ? "" : jsonFields + ",";
    }

    @Override
    public synchronized void onEvent(RaftTraceEvent e) {
        if (closed) {
            return;
        }
        line.setLength(0);
        line.append('{');
        if (stamp) {
            Instant now = clock.instant();
            long ts = Math.max(lastTs, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
            lastTs = ts;
            line.append("\"ts\":").append(ts).append(',');
        }
        if (member != null) {
            line.append("\"member\":\"").append(member).append("\",");
        }
        line.append(prefix);
        format(line, ++seq, e);
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException ex) {
            // Never throw into the Raft core (it would abort a step half-way): stop tracing and remember why.
            error = ex;
            closed = true;
            return;
        }
        lines++;
        bytes += line.length();
    }

    /** Writes buffered lines to the OS (no fsync). Never throws: a trace that cannot be written is not fatal. */
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException ex) {
            // the trace is diagnostic output: the store keeps running, the trace stops here
            error = ex;
            closed = true;
        }
    }

    /** The write error that stopped this trace, or null. */
    public synchronized IOException error() {
        return error;
    }

    public synchronized long lines() {
        return lines;
    }

    /** Characters written (equal to bytes: the output is ASCII). */
    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                if (error != null) {
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // already failed; report the first error
                    }
                    throw error;
                }
                return;
            }
            out.flush();
            closed = true;
            out.close();
        }
        if (flusher != null) {
            flusher.interrupt();
        }
    }

    // ------------------------------------------------------------------ format

    /** The event name in TraceRaft.tla: the kind's name, or for sends one name per spec action. */
    public static String eventName(RaftTraceEvent e) {
        if (e.kind() != RaftTraceEvent.Kind.SEND) {
            return e.kind().specName();
        }
        MessageType t = e.msg().type();
        if (t.isResponse()) {
            return "Reply";
        }
        return switch (t) {
            case VOTE, PRE_VOTE -> "SendRequestVote";
            case APP -> "SendAppendEntries";
            case HEARTBEAT -> "SendHeartbeat";
            case SNAP -> "SendSnapshot";
            default -> "Send";
        };
    }

    /** The message type name in TraceRaft.tla (Raft.tla's names where the spec has the message). */
    public static String typeName(MessageType t) {
        return switch (t) {
            case VOTE, PRE_VOTE -> "RequestVoteRequest";
            case VOTE_RESP, PRE_VOTE_RESP -> "RequestVoteResponse";
            case APP -> "AppendEntriesRequest";
            case APP_RESP -> "AppendEntriesResponse";
            case HEARTBEAT -> "Heartbeat";
            case HEARTBEAT_RESP -> "HeartbeatResponse";
            case SNAP -> "Snapshot";
            case READ_INDEX -> "ReadIndex";
            case READ_INDEX_RESP -> "ReadIndexResponse";
            case TIMEOUT_NOW -> "TimeoutNow";
            case TRANSFER_LEADER -> "TransferLeader";
            case PROP -> "Proposal";
            default -> t.name();
        };
    }

    public static String nodeName(long id) {
        return "s" + Long.toHexString(id);
    }

    public static String stateName(StateType s) {
        return switch (s) {
            case FOLLOWER -> "Follower";
            case PRE_CANDIDATE -> "PreCandidate";
            case CANDIDATE -> "Candidate";
            case LEADER -> "Leader";
        };
    }

    /** Appends the event's fields (without braces' opening and without stamp/member). */
    static void format(StringBuilder b, long seq, RaftTraceEvent e) {
        b.append("\"seq\":").append(seq).append(",\"event\":\"").append(eventName(e)).append("\",\"node\":\"")
                .append(nodeName(e.node())).append('"');
        if (e.msg() != null) {
            b.append(",\"msg\":");
            message(b, e.msg());
        }
        if (e.state() != null) {
            b.append(",\"post\":{\"term\":").append(e.term()).append(",\"state\":\"").append(stateName(e.state()))
                    .append("\",\"commitIndex\":").append(e.commit()).append(",\"logLength\":").append(e.lastIndex())
                    .append(",\"vote\":");
            if (e.vote() == 0) {
                b.append("null");
            } else {
                b.append('"').append(nodeName(e.vote())).append('"');
            }
            b.append('}');
        }
        if (!e.voters().isEmpty()) {
            b.append(",\"voters\":[");
            List<Long> v = e.voters();
            for (int i = 0; i < v.size(); i++) {
                b.append(i > 0 ? ",\"" : "\"").append(nodeName(v.get(i))).append('"');
            }
            b.append(']');
        }
        if (e.kind() == RaftTraceEvent.Kind.CLIENT_REQUEST) {
            b.append(",\"entries\":").append(e.count());
        }
        if (e.kind() == RaftTraceEvent.Kind.RESTART) {
            b.append(",\"log\":{\"snapIndex\":").append(e.snapIndex()).append(",\"snapTerm\":").append(e.snapTerm())
                    .append(",\"runs\":");
            runs(b, e.logRuns());
            b.append('}');
        }
        if (e.transfer()) {
            b.append(",\"transfer\":true");
        }
        b.append('}');
    }

    private static void message(StringBuilder b, Message m) {
        b.append("{\"type\":\"").append(typeName(m.type())).append("\",\"source\":\"").append(nodeName(m.from()))
                .append("\",\"dest\":\"").append(nodeName(m.to())).append("\",\"term\":").append(m.term());
        switch (m.type()) {
            case VOTE, VOTE_RESP -> b.append(",\"prevote\":false");
            case PRE_VOTE, PRE_VOTE_RESP -> b.append(",\"prevote\":true");
            default -> { }
        }
        b.append(",\"logTerm\":").append(m.logTerm()).append(",\"index\":").append(m.index())
                .append(",\"commit\":").append(m.commit()).append(",\"reject\":").append(m.reject())
                .append(",\"rejectHint\":").append(m.rejectHint());
        if (!m.entries().isEmpty()) {
            b.append(",\"entries\":").append(m.entries().size()).append(",\"entryTerms\":");
            long[] r = new long[m.entries().size() * 2];
            int n = 0;
            for (Entry en : m.entries()) {
                if (n > 0 && r[n - 2] == en.term()) {
                    r[n - 1]++;
                } else {
                    r[n++] = en.term();
                    r[n++] = 1;
                }
            }
            runs(b, Arrays.copyOf(r, n));
        }
        if (m.snapshot() != null) {
            b.append(",\"snapIndex\":").append(m.snapshot().index()).append(",\"snapTerm\":").append(m.snapshot().term());
        }
        if (m.context().length > 0) {
            b.append(",\"ctx\":").append(Arrays.hashCode(m.context()));
        }
        b.append('}');
    }

    private static void runs(StringBuilder b, long[] runs) {
        b.append('[');
        for (int i = 0; i + 1 < runs.length; i += 2) {
            b.append(i > 0 ? ",[" : "[").append(runs[i]).append(',').append(runs[i + 1]).append(']');
        }
        b.append(']');
    }
}
