package io.kplane.raft;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Stable one-line descriptions of entries, messages, Readies and node status, used by the interaction tests'
 * expected output, the simulation's event log and the model checker's counterexample traces.
 */
public final class RaftText {
    private RaftText() {
    }

    public static String bytes(byte[] b) {
        if (b == null || b.length == 0) return "\"\"";
        boolean printable = true;
        for (byte x : b) {
            if (x < 0x20 || x > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) return "\"" + new String(b, StandardCharsets.US_ASCII) + "\"";
        return "0x" + java.util.HexFormat.of().formatHex(b);
    }

    public static String entry(Entry e) {
        if (e.type() == EntryType.CONF_CHANGE) {
            String cc;
            try {
                ConfChange c = ConfChange.decode(e.data());
                cc = c.type() + " " + c.nodeId();
            } catch (IllegalArgumentException ex) {
                cc = "invalid";
            }
            return e.term() + "/" + e.index() + " ConfChange " + cc;
        }
        return e.term() + "/" + e.index() + " " + bytes(e.data());
    }

    public static String entries(List<Entry> es) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (Entry e : es) j.add(entry(e));
        return j.toString();
    }

    public static String confState(ConfState cs) {
        return "voters=" + cs.voters() + (cs.learners().isEmpty() ? "" : " learners=" + cs.learners());
    }

    public static String snapshot(Snapshot s) {
        return "Index:" + s.index() + " Term:" + s.term() + " " + confState(s.metadata().confState());
    }

    public static String message(Message m) {
        StringBuilder b = new StringBuilder();
        b.append(m.from()).append("->").append(m.to()).append(' ').append(m.type()).append(" Term:").append(m.term());
        switch (m.type()) {
            case APP -> b.append(" Log:").append(m.logTerm()).append('/').append(m.index()).append(" Commit:").append(m.commit());
            case APP_RESP -> {
                b.append(" Index:").append(m.index());
                if (m.reject()) b.append(" Rejected (Hint: ").append(m.rejectHint()).append(" LogTerm: ").append(m.logTerm()).append(')');
            }
            case VOTE, PRE_VOTE -> b.append(" Log:").append(m.logTerm()).append('/').append(m.index());
            case VOTE_RESP, PRE_VOTE_RESP -> {
                if (m.reject()) b.append(" Rejected");
            }
            case HEARTBEAT -> b.append(" Commit:").append(m.commit());
            case READ_INDEX_RESP -> b.append(" Index:").append(m.index());
            default -> {
                if (m.reject()) b.append(" Rejected");
            }
        }
        if (!m.entries().isEmpty()) b.append(" Entries:").append(entries(m.entries()));
        if (m.snapshot() != null) b.append(" Snapshot: ").append(snapshot(m.snapshot()));
        if (m.context().length > 0) b.append(" Context:").append(bytes(m.context()));
        return b.toString();
    }

    public static String ready(Ready rd) {
        StringBuilder b = new StringBuilder("Ready:");
        if (rd.softState() != null) b.append("\n").append(rd.softState().role()).append(" lead=").append(rd.softState().leader());
        if (rd.hardState() != null) {
            HardState h = rd.hardState();
            b.append("\nHardState Term:").append(h.term()).append(" Vote:").append(h.vote()).append(" Commit:").append(h.commit());
        }
        if (rd.snapshot() != null) b.append("\nSnapshot ").append(snapshot(rd.snapshot()));
        if (!rd.entries().isEmpty()) {
            b.append("\nEntries:");
            for (Entry e : rd.entries()) b.append("\n").append(entry(e));
        }
        if (!rd.committedEntries().isEmpty()) {
            b.append("\nCommittedEntries:");
            for (Entry e : rd.committedEntries()) b.append("\n").append(entry(e));
        }
        if (!rd.messages().isEmpty()) {
            b.append("\nMessages:");
            for (Message m : rd.messages()) b.append("\n").append(message(m));
        }
        if (!rd.readStates().isEmpty()) {
            b.append("\nReadStates:");
            for (ReadState r : rd.readStates()) b.append("\n").append("index=").append(r.index()).append(" context=").append(bytes(r.context()));
        }
        return b.toString();
    }

    /** Multi-line status: role, term, commit, and on a leader the progress of each member. */
    public static String status(RaftNode n) {
        StringBuilder b = new StringBuilder();
        b.append(n.id()).append(' ').append(n.role()).append(" term=").append(n.term()).append(" vote=").append(n.vote())
                .append(" lead=").append(n.leaderId()).append(" commit=").append(n.commitIndex()).append(" applied=")
                .append(n.appliedIndex()).append(" last=").append(n.lastIndex()).append(' ').append(confState(n.confState()));
        if (n.role() == StateType.LEADER) {
            for (Map.Entry<Long, Progress> e : n.progress().entrySet()) {
                b.append("\n  ").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        return b.toString();
    }
}
