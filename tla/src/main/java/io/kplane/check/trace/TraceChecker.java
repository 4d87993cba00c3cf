package io.kplane.check.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays a Raft NDJSON trace (written by {@code NdjsonTraceWriter}, vocabulary of {@code tla/TraceRaft.tla})
 * against the rules of {@code tla/Raft.tla} and reports the first line that no rule explains.
 *
 * <p>This is not TLC: it does not enumerate the spec's states. It keeps, per node, the state the trace claims
 * (term, role, vote, commit index) and a model of the log (the term of every entry, rebuilt from each
 * {@code Restart} line's run-length log and then updated by the leader appends and follower appends the trace
 * shows), plus the multiset of messages in flight, and checks each line against it:
 * <ul>
 *   <li>{@code NodeStarted}: a node's first line is {@code Restart} (its initial state).</li>
 *   <li>{@code TermMonotonic}/{@code TermChange}: terms never decrease within an incarnation and change only
 *       by Timeout/StartElection (+1), or BecomeFollower to the term of the message being handled.</li>
 *   <li>{@code TransferCampaign}: a Timeout line with {@code "transfer": true} (a leadership transfer's election,
 *       which skips PreVote) follows the receipt of a TimeoutNow of the follower's term, once per TimeoutNow.</li>
 *   <li>{@code StateChange}: roles change only by Timeout, StartElection (PreCandidate to Candidate),
 *       BecomeLeader (Candidate to Leader), BecomeFollower, Restart.</li>
 *   <li>{@code PreVoteQuorum}, {@code LeaderQuorum}: StartElection/BecomeLeader only after granted (pre-)votes,
 *       received in that campaign, from a quorum of the node's voters (itself included).</li>
 *   <li>{@code ElectionSafety}: at most one leader per term. {@code VoteOnce}: a node grants its vote to one
 *       candidate per term (checked when it sends the grant, and across restarts from grants received).</li>
 *   <li>{@code ReceiveWasSent}: a message is received (or dropped, or duplicated) only while one more copy of it
 *       is in flight than was already received: received &lt;= sent + duplicated.</li>
 *   <li>{@code MessageMatchesSender}: a request's term, role, log position and entries agree with the sender's
 *       state and log model; appends carry no commit beyond the leader's.</li>
 *   <li>{@code AppendEntriesLogCheck}: a follower accepts an append iff it has the previous entry (index and
 *       term), does not process appends of an older term, and its log afterwards is the spec's
 *       (truncate at the first conflict, then append). {@code LogMatching}: no conflict at a committed index.</li>
 *   <li>{@code CommitMonotonic}: the commit index never decreases (except across Restart), changes only by
 *       AdvanceCommitIndex, and stays within the log.</li>
 *   <li>{@code LeaderCommitRule}: a leader commits only an entry of its own term stored on a quorum (from the
 *       successful AppendEntriesResponses it received); {@code FollowerCommitRule}: a follower commits no more
 *       than the leader's commit in the message it is handling.</li>
 *   <li>{@code StateMachineSafety}: no two nodes commit different terms at one index.</li>
 *   <li>{@code LogLength}: every line's post logLength equals the log model's length.</li>
 *   <li>{@code RestartKeepsTerm}: a restarted node's term is at least any term it used in messages others
 *       received (its term was persisted before they left).</li>
 * </ul>
 * Snapshots, heartbeats, read-index, leadership transfer and membership are outside Raft.tla: their messages
 * are tracked in flight, snapshot installs reset the log model to "unknown below the snapshot", and entry terms
 * that are unknown are not checked. A trace with several runs (simulation seeds) is split on its {@code seed}.
 */
public final class TraceChecker {

    private static final long UNKNOWN = -1;

    private enum Outcome { STALE, BELOW_COMMIT, ACCEPT, REJECT, UNKNOWN_PREV, SNAPSHOT }

    private record Pending(String leader, JsonNode msg, Outcome outcome, long lastNew, long commitAtReceive) {
    }

    private static final class Node {
        final String name;
        long term;
        String state;
        long commit;
        String vote;
        long[] terms = new long[64];
        long len;
        final Set<String> granted = new HashSet<>();
        final Set<String> preGranted = new HashSet<>();
        final Map<String, Long> match = new HashMap<>();
        JsonNode receiving;
        Pending pending;
        long maxTermUsed;

        Node(String name) {
            this.name = name;
        }

        long termAt(long i) {
            if (i < 0 || i > len) {
                return UNKNOWN;
            }
            return terms[(int) i];
        }

        void truncate(long n) {
            len = n;
        }

        void append(long t) {
            if (len + 1 >= terms.length) {
                terms = Arrays.copyOf(terms, terms.length * 2);
            }
            terms[(int) ++len] = t;
        }
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<Long, String> leaders = new HashMap<>();
    private final Map<String, String> votesReceived = new HashMap<>();
    private final Map<Long, Long> committed = new HashMap<>();
    private final Map<String, Long> events = new TreeMap<>();
    private final Set<String> allNodes = new HashSet<>();
    private String seed;
    private int runs;
    private long lines;
    private long elections;
    private long maxCommit;
    private TraceViolation violation;

    /** Checks the files (merged by stamp when several) and returns the result; never throws on bad content. */
    public static TraceResult check(List<Path> files) throws IOException {
        TraceChecker c = new TraceChecker();
        TraceReader reader = new TraceReader(files);
        long start = System.nanoTime();
        try {
            reader.forEach(l -> {
                if (c.violation == null) {
                    c.line(l);
                }
            });
        } catch (TraceFormatException e) {
            c.violation = new TraceViolation(e.line(), "TraceFormat", e.getMessage());
        }
        return new TraceResult(c.lines, Math.max(c.runs, c.lines > 0 ? 1 : 0), c.allNodes.size(), c.elections,
                c.maxCommit, c.events, c.violation, reader.tornLines(), (System.nanoTime() - start) / 1e9);
    }

    private static final class Reject extends RuntimeException {
        final String rule;

        Reject(String rule, String message) {
            super(message, null, false, false);
            this.rule = rule;
        }
    }

    private static void require(boolean ok, String rule, String message) {
        if (!ok) {
            throw new Reject(rule, message);
        }
    }

    void line(TraceLine l) {
        lines++;
        try {
            step(l);
        } catch (Reject r) {
            violation = new TraceViolation(l, r.rule, r.getMessage());
        } catch (RuntimeException e) {
            violation = new TraceViolation(l, "TraceFormat", "cannot interpret the line: " + e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.asText();
    }

    private static long num(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new Reject("TraceFormat", "missing number field \"" + field + "\"");
        }
        return v.asLong();
    }

    private static long numOr(JsonNode n, String field, long dflt) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? dflt : v.asLong();
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.asBoolean();
    }

    private void step(TraceLine l) {
        JsonNode j = l.json();
        String s = text(j, "seed");
        if (lines == 1 || (s != null && !s.equals(seed))) {
            if (lines > 1) {
                nodes.clear();
                inFlight.clear();
                leaders.clear();
                votesReceived.clear();
                committed.clear();
            }
            seed = s;
            runs++;
        }
        String event = text(j, "event");
        require(event != null, "TraceFormat", "missing \"event\"");
        events.merge(event, 1L, Long::sum);
        JsonNode msg = j.get("msg");
        String key = msg == null ? null : messageKey(l.text(), msg);
        switch (event) {
            case "Drop" -> {
                require(msg != null, "TraceFormat", "Drop without msg");
                take(key, "dropped");
                return;
            }
            case "Duplicate" -> {
                require(msg != null, "TraceFormat", "Duplicate without msg");
                require(inFlight.getOrDefault(key, 0) > 0, "ReceiveWasSent", "duplicate of a message that is not in flight: " + key);
                inFlight.merge(key, 1, Integer::sum);
                return;
            }
            default -> { }
        }
        String name = text(j, "node");
        require(name != null, "TraceFormat", "missing \"node\"");
        JsonNode post = j.get("post");
        require(post != null && post.isObject(), "TraceFormat", "missing \"post\"");
        allNodes.add((s == null ? "" : s + "/") + name);
        long pTerm = num(post, "term");
        String pState = text(post, "state");
        long pCommit = num(post, "commitIndex");
        long pLen = num(post, "logLength");
        String pVote = text(post, "vote");
        maxCommit = Math.max(maxCommit, pCommit);

        if (event.equals("Restart")) {
            restart(name, j, pTerm, pState, pCommit, pLen, pVote);
            return;
        }
        Node n = nodes.get(name);
        require(n != null, "NodeStarted", "node " + name + " has no Restart line before its first event");
        long oldTerm = n.term;
        String oldState = n.state;
        long oldCommit = n.commit;

        switch (event) {
            case "Timeout" -> {
                require(!"Leader".equals(oldState), "StateChange", name + ": a leader's election timer does not fire");
                if (bool(j, "transfer")) {
                    transferCampaign(n, pState);
                }
                if ("Candidate".equals(pState)) {
                    require(pTerm == oldTerm + 1, "TermChange", name + ": Timeout to Candidate must move to term " + (oldTerm + 1) + ", not " + pTerm);
                    require(name.equals(pVote), "VoteOnce", name + ": a candidate votes for itself, vote is " + pVote);
                } else {
                    require("PreCandidate".equals(pState), "StateChange", name + ": Timeout leads to PreCandidate or Candidate, not " + pState);
                    require(pTerm == oldTerm, "TermChange", name + ": PreVote does not change the term");
                }
                n.granted.clear();
                n.preGranted.clear();
            }
            case "StartElection" -> {
                require("PreCandidate".equals(oldState), "StateChange", name + ": StartElection from " + oldState + ", not PreCandidate");
                require("Candidate".equals(pState) && pTerm == oldTerm + 1, "TermChange",
                        name + ": StartElection must make a Candidate at term " + (oldTerm + 1) + ", got " + pState + " at " + pTerm);
                quorum(j, n, n.preGranted, "PreVoteQuorum", "pre-votes for term " + pTerm);
                n.granted.clear();
                n.preGranted.clear();
            }
            case "BecomeLeader" -> {
                require("Candidate".equals(oldState), "StateChange", name + ": BecomeLeader from " + oldState + ", not Candidate");
                require("Leader".equals(pState) && pTerm == oldTerm, "StateChange", name + ": BecomeLeader must keep term " + oldTerm);
                quorum(j, n, n.granted, "LeaderQuorum", "votes in term " + pTerm);
                String other = leaders.putIfAbsent(pTerm, name);
                require(other == null || other.equals(name), "ElectionSafety", "two leaders in term " + pTerm + ": " + other + " and " + name);
                if (other == null) {
                    elections++;
                }
                n.append(pTerm); // the leader's empty entry
                n.match.clear();
            }
            case "BecomeFollower" -> {
                require("Follower".equals(pState), "StateChange", name + ": BecomeFollower ends in " + pState);
                if (pTerm > oldTerm) {
                    JsonNode r = n.receiving;
                    long mt = r == null ? -1 : numOr(r, "term", -1);
                    boolean snapQuirk = r != null && "Snapshot".equals(text(r, "type")) && pTerm == oldTerm + 1;
                    require(pTerm == mt || snapQuirk, "TermChange",
                            name + ": moved to term " + pTerm + " without handling a message of that term (last received: " + r + ")");
                }
                n.granted.clear();
                n.preGranted.clear();
            }
            case "ClientRequest" -> {
                require("Leader".equals(oldState), "StateChange", name + ": ClientRequest on a " + oldState);
                long count = num(j, "entries");
                require(count > 0, "TraceFormat", "ClientRequest without entries");
                for (long k = 0; k < count; k++) {
                    n.append(oldTerm);
                }
            }
            case "AdvanceCommitIndex" -> advanceCommit(j, n, oldCommit, pCommit, pState);
            case "CheckQuorum" -> require("Leader".equals(oldState), "StateChange", name + ": CheckQuorum tick on a " + oldState);
            // Membership is outside Raft.tla; quorums here use the voters each line reports, so only the node's own
            // state is checked: applying a configuration changes neither its term nor its role.
            case "ApplyConfChange" -> require(pTerm == oldTerm && pState.equals(oldState), "StateChange",
                    name + ": applying a configuration change moved it to " + pState + " in term " + pTerm);
            case "Receive" -> {
                require(msg != null, "TraceFormat", "Receive without msg");
                receive(n, msg, key);
            }
            case "SendRequestVote", "SendAppendEntries", "SendHeartbeat", "SendSnapshot", "Send", "Reply" -> {
                require(msg != null, "TraceFormat", event + " without msg");
                send(n, event, msg, key, pVote);
            }
            default -> throw new Reject("TraceFormat", "unknown event \"" + event + "\"");
        }

        // Post-state transitions common to every event.
        require(pTerm >= oldTerm, "TermMonotonic", name + ": term went back from " + oldTerm + " to " + pTerm);
        if (pTerm != oldTerm) {
            require(event.equals("Timeout") || event.equals("StartElection") || event.equals("BecomeFollower"),
                    "TermChange", name + ": term changed from " + oldTerm + " to " + pTerm + " on a " + event + " line");
        }
        if (!pState.equals(oldState)) {
            require(event.equals("Timeout") || event.equals("StartElection") || event.equals("BecomeLeader")
                    || event.equals("BecomeFollower"), "StateChange",
                    name + ": role changed from " + oldState + " to " + pState + " on a " + event + " line");
        }
        require(pCommit >= oldCommit, "CommitMonotonic", name + ": commit index went back from " + oldCommit + " to " + pCommit);
        if (pCommit != oldCommit) {
            require(event.equals("AdvanceCommitIndex"), "CommitMonotonic",
                    name + ": commit index changed from " + oldCommit + " to " + pCommit + " on a " + event + " line");
        }
        require(pCommit <= pLen, "CommitMonotonic", name + ": commit index " + pCommit + " beyond the log's " + pLen + " entries");
        if (n.pending == null) {
            require(pLen == n.len, "LogLength", name + ": logLength " + pLen + " but the spec steps so far give " + n.len);
        }
        n.term = pTerm;
        n.state = pState;
        n.commit = pCommit;
        n.vote = pVote;
    }

    /**
     * {@code TransferCampaign}: a leadership transfer's election (etcd-io/raft's campaignTransfer) is started by a
     * follower, as a Candidate, right after it received the TimeoutNow its leader sent in its term; one campaign
     * per TimeoutNow.
     */
    private static void transferCampaign(Node n, String pState) {
        JsonNode r = n.receiving;
        require(r != null && "TimeoutNow".equals(text(r, "type")), "TransferCampaign",
                n.name + ": a transfer campaign without a TimeoutNow just received (last received: " + r + ")");
        require(numOr(r, "term", -1) == n.term, "TransferCampaign",
                n.name + ": a transfer campaign at term " + n.term + " on a TimeoutNow of term " + numOr(r, "term", -1));
        require("Follower".equals(n.state) && "Candidate".equals(pState), "TransferCampaign",
                n.name + ": a transfer campaign goes from Follower to Candidate, not " + n.state + " to " + pState);
        n.receiving = null;
    }

    private void restart(String name, JsonNode j, long pTerm, String pState, long pCommit, long pLen, String pVote) {
        Node old = nodes.get(name);
        Node n = new Node(name);
        if (old != null) {
            require(pTerm >= old.maxTermUsed, "RestartKeepsTerm", name + " restarted at term " + pTerm
                    + " but other nodes received its messages of term " + old.maxTermUsed);
            n.maxTermUsed = old.maxTermUsed;
        }
        require("Follower".equals(pState), "StateChange", name + " restarts as " + pState + ", not Follower");
        JsonNode log = j.get("log");
        require(log != null, "TraceFormat", "Restart without \"log\"");
        long snapIndex = num(log, "snapIndex");
        require(snapIndex >= 0, "TraceFormat", "negative snapIndex");
        n.terms = new long[(int) Math.max(64, snapIndex + 2)];
        Arrays.fill(n.terms, UNKNOWN);
        n.len = snapIndex;
        n.terms[(int) snapIndex] = num(log, "snapTerm");
        for (JsonNode run : log.get("runs")) {
            long t = run.get(0).asLong();
            long c = run.get(1).asLong();
            for (long k = 0; k < c; k++) {
                n.append(t);
            }
        }
        require(n.len == pLen, "LogLength", name + ": Restart log runs give " + n.len + " entries but logLength is " + pLen);
        require(pCommit <= pLen, "CommitMonotonic", name + ": commit index " + pCommit + " beyond the log");
        n.term = pTerm;
        n.state = pState;
        n.commit = pCommit;
        n.vote = pVote;
        nodes.put(name, n);
    }

    /** The voters a line reports (its node's configuration), or every node seen so far if it reports none. */
    private List<String> voters(JsonNode j) {
        List<String> voters = new ArrayList<>();
        JsonNode v = j.get("voters");
        if (v != null && v.isArray()) {
            v.forEach(x -> voters.add(x.asText()));
        } else {
            voters.addAll(nodes.keySet());
        }
        return voters;
    }

    private void quorum(JsonNode j, Node n, Set<String> grants, String rule, String what) {
        List<String> voters = voters(j);
        int yes = 0;
        for (String voter : voters) {
            if (voter.equals(n.name) || grants.contains(voter)) {
                yes++;
            }
        }
        require(yes * 2 > voters.size(), rule, n.name + " has " + yes + " of " + voters.size() + " " + what
                + " (granted by " + grants + " and itself; voters " + voters + ")");
    }

    /**
     * The identity of a message in flight: its JSON as written. The writer's text is already canonical (fixed
     * field order, no spaces), so it is cut out of the line instead of re-serializing the parsed node (which
     * gives the same string, and is used for hand-written lines with spaces).
     */
    static String messageKey(String line, JsonNode msg) {
        int start = line.indexOf("\"msg\":{");
        if (start >= 0) {
            start += 6;
            int depth = 0;
            for (int k = start; k < line.length(); k++) {
                char c = line.charAt(k);
                if (c == '"') {
                    k = line.indexOf('"', k + 1); // no escapes inside the writer's strings
                    if (k < 0) {
                        break;
                    }
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    String raw = line.substring(start, k + 1);
                    if (raw.indexOf(' ') < 0 && raw.indexOf('\\') < 0) {
                        return raw;
                    }
                    break;
                }
            }
        }
        return msg.toString();
    }

    private void take(String key, String what) {
        Integer c = inFlight.get(key);
        require(c != null && c > 0, "ReceiveWasSent", "message " + what + " but never sent (or already received as often as sent and duplicated): " + key);
        if (c == 1) {
            inFlight.remove(key);
        } else {
            inFlight.put(key, c - 1);
        }
    }

    private void receive(Node n, JsonNode m, String key) {
        take(key, "received");
        require(n.name.equals(text(m, "dest")), "ReceiveWasSent", n.name + " received a message addressed to " + text(m, "dest"));
        String type = text(m, "type");
        String source = text(m, "source");
        long mt = num(m, "term");
        boolean prevote = bool(m, "prevote");
        boolean reject = bool(m, "reject");
        Node src = nodes.get(source);
        boolean forwarded = type.equals("Proposal") || type.equals("ReadIndex") || type.equals("TransferLeader");
        if (src != null && !prevote && !forwarded) { // forwarded requests keep the originator as source
            src.maxTermUsed = Math.max(src.maxTermUsed, mt);
        }
        n.receiving = m;
        n.pending = null;
        switch (type) {
            case "RequestVoteResponse" -> {
                if (reject) {
                    return;
                }
                if (!prevote) {
                    String prev = votesReceived.putIfAbsent(source + "@" + mt, n.name);
                    require(prev == null || prev.equals(n.name), "VoteOnce",
                            source + " granted its vote in term " + mt + " to both " + prev + " and " + n.name);
                    if ("Candidate".equals(n.state) && mt == n.term) {
                        n.granted.add(source);
                    }
                } else if ("PreCandidate".equals(n.state) && mt >= n.term) {
                    n.preGranted.add(source);
                }
            }
            case "AppendEntriesResponse" -> {
                if (!reject && "Leader".equals(n.state) && mt == n.term) {
                    n.match.merge(source, num(m, "index"), Math::max);
                }
            }
            case "AppendEntriesRequest" -> n.pending = predictAppend(n, m, source, mt);
            case "Snapshot" -> n.pending = new Pending(source, m, Outcome.SNAPSHOT, num(m, "snapIndex"), n.commit);
            default -> { }
        }
    }

    private static long[] entryTerms(JsonNode m) {
        JsonNode runs = m.get("entryTerms");
        if (runs == null) {
            return new long[0];
        }
        long total = numOr(m, "entries", 0);
        long[] out = new long[(int) total];
        int k = 0;
        for (JsonNode run : runs) {
            long t = run.get(0).asLong();
            long c = run.get(1).asLong();
            for (long x = 0; x < c && k < out.length; x++) {
                out[k++] = t;
            }
        }
        require(k == out.length, "TraceFormat", "entryTerms do not add up to entries");
        return out;
    }

    private Pending predictAppend(Node n, JsonNode m, String source, long mt) {
        long index = num(m, "index");
        long logTerm = num(m, "logTerm");
        if (mt < n.term) {
            return new Pending(source, m, Outcome.STALE, 0, n.commit);
        }
        if (index < n.commit) {
            return new Pending(source, m, Outcome.BELOW_COMMIT, n.commit, n.commit);
        }
        long[] ents = entryTerms(m);
        long lastNew = index + ents.length;
        long have = n.termAt(index);
        if (index > n.len) {
            return new Pending(source, m, Outcome.REJECT, 0, n.commit);
        }
        if (have == UNKNOWN) {
            return new Pending(source, m, Outcome.UNKNOWN_PREV, lastNew, n.commit);
        }
        if (have != logTerm) {
            return new Pending(source, m, Outcome.REJECT, 0, n.commit);
        }
        applyEntries(n, index, ents);
        return new Pending(source, m, Outcome.ACCEPT, lastNew, n.commit);
    }

    /** The spec's follower append: skip matching entries, truncate at the first conflict, append the rest. */
    private static void applyEntries(Node n, long index, long[] ents) {
        for (int k = 0; k < ents.length; k++) {
            long idx = index + 1 + k;
            long have = n.termAt(idx);
            if (idx <= n.len && (have == ents[k] || have == UNKNOWN)) {
                continue;
            }
            require(idx > n.commit, "LogMatching", n.name + ": the append conflicts with committed entry " + idx
                    + " (term " + have + ", append brings term " + ents[k] + ")");
            n.truncate(idx - 1);
            for (int r = k; r < ents.length; r++) {
                n.append(ents[r]);
            }
            return;
        }
    }

    private void send(Node n, String event, JsonNode m, String key, String pVote) {
        String type = text(m, "type");
        boolean forwarded = type.equals("Proposal") || type.equals("ReadIndex") || type.equals("TransferLeader");
        require(forwarded || n.name.equals(text(m, "source")), "MessageMatchesSender",
                n.name + " sends a message with source " + text(m, "source"));
        long mt = num(m, "term");
        boolean prevote = bool(m, "prevote");
        boolean reject = bool(m, "reject");
        String dest = text(m, "dest");
        switch (type) {
            case "RequestVoteRequest" -> {
                if (prevote) {
                    require("PreCandidate".equals(n.state) && mt == n.term + 1, "MessageMatchesSender",
                            n.name + ": a pre-vote request is sent by a PreCandidate for its term + 1 (" + (n.term + 1)
                                    + "), sender is " + n.state + ", message term " + mt);
                } else {
                    require("Candidate".equals(n.state) && mt == n.term, "MessageMatchesSender",
                            n.name + ": a vote request is sent by a Candidate for its term " + n.term + ", sender is "
                                    + n.state + ", message term " + mt);
                }
                require(num(m, "index") == n.len, "MessageMatchesSender", n.name + ": vote request's last index "
                        + num(m, "index") + " but its log has " + n.len);
                long lt = n.termAt(n.len);
                require(lt == UNKNOWN || lt == num(m, "logTerm"), "MessageMatchesSender", n.name
                        + ": vote request's last term " + num(m, "logTerm") + " but its last entry has term " + lt);
            }
            case "AppendEntriesRequest" -> {
                require("Leader".equals(n.state) && mt == n.term, "MessageMatchesSender",
                        n.name + ": appends are sent by the leader in its term; sender is " + n.state + " at " + n.term + ", message term " + mt);
                long index = num(m, "index");
                long[] ents = entryTerms(m);
                require(index + ents.length <= n.len, "MessageMatchesSender", n.name + ": append beyond its log");
                long pt = n.termAt(index);
                require(pt == UNKNOWN || pt == num(m, "logTerm"), "MessageMatchesSender", n.name + ": append's previous entry "
                        + index + " has term " + pt + " in the leader's log, message says " + num(m, "logTerm"));
                for (int k = 0; k < ents.length; k++) {
                    long t = n.termAt(index + 1 + k);
                    require(t == UNKNOWN || t == ents[k], "MessageMatchesSender", n.name + ": append entry " + (index + 1 + k)
                            + " has term " + ents[k] + " but the leader's entry has term " + t);
                }
                require(num(m, "commit") <= n.commit, "MessageMatchesSender", n.name + ": append carries commit "
                        + num(m, "commit") + " beyond the leader's " + n.commit);
            }
            case "Heartbeat", "Snapshot", "TimeoutNow" -> require("Leader".equals(n.state) && mt == n.term, "MessageMatchesSender",
                    n.name + ": " + type + " is sent by the leader in its term; sender is " + n.state + " at " + n.term);
            case "RequestVoteResponse" -> {
                if (!prevote && !reject) {
                    require(mt == n.term, "VoteOnce", n.name + " grants a vote for term " + mt + " while at term " + n.term);
                    require(pVote == null || pVote.equals(dest), "VoteOnce",
                            n.name + " already voted for " + pVote + " in term " + mt + " and now grants its vote to " + dest);
                }
            }
            case "AppendEntriesResponse" -> resolveAppend(n, m, dest, reject);
            default -> { }
        }
        inFlight.merge(key, 1, Integer::sum);
    }

    private void resolveAppend(Node n, JsonNode m, String dest, boolean reject) {
        Pending p = n.pending;
        if (p == null || !p.leader().equals(dest)) {
            return;
        }
        n.pending = null;
        long index = num(m, "index");
        switch (p.outcome()) {
            case STALE -> require(!reject && index == 0, "AppendEntriesLogCheck", n.name
                    + " processed an append of the older term " + num(p.msg(), "term") + " (its term is " + n.term
                    + ") instead of only answering with its term");
            case BELOW_COMMIT -> require(!reject && index == p.commitAtReceive(), "AppendEntriesLogCheck", n.name
                    + ": an append before its commit index " + p.commitAtReceive() + " is answered with the commit index");
            case ACCEPT -> require(!reject && index == p.lastNew(), "AppendEntriesLogCheck", n.name
                    + " has the previous entry (" + num(p.msg(), "index") + ", term " + num(p.msg(), "logTerm")
                    + ") but " + (reject ? "rejected the append" : "answered index " + index + " instead of " + p.lastNew()));
            case REJECT -> require(reject, "AppendEntriesLogCheck", n.name + " accepted an append whose previous entry (index "
                    + num(p.msg(), "index") + ", term " + num(p.msg(), "logTerm") + ") it does not have (its log: "
                    + n.len + " entries, term there " + n.termAt(num(p.msg(), "index")) + ")");
            case UNKNOWN_PREV -> {
                if (!reject && index == p.lastNew()) {
                    applyEntries(n, num(p.msg(), "index"), entryTerms(p.msg()));
                }
            }
            case SNAPSHOT -> {
                long si = p.lastNew();
                if (!reject && index == si && n.termAt(si) != num(p.msg(), "snapTerm")) {
                    n.terms = Arrays.copyOf(n.terms, (int) Math.max(n.terms.length, si + 2));
                    Arrays.fill(n.terms, UNKNOWN);
                    n.len = si;
                    n.terms[(int) si] = num(p.msg(), "snapTerm");
                }
            }
        }
    }

    private void advanceCommit(JsonNode j, Node n, long oldCommit, long newCommit, String pState) {
        require(newCommit > oldCommit, "CommitMonotonic", n.name + ": AdvanceCommitIndex from " + oldCommit + " to " + newCommit);
        if ("Leader".equals(pState)) {
            long t = n.termAt(newCommit);
            require(t == UNKNOWN || t == n.term, "LeaderCommitRule", n.name + " (leader of term " + n.term
                    + ") commits index " + newCommit + " of term " + t + ": only entries of its own term are committed by counting");
            List<String> voters = voters(j);
            int yes = 0;
            List<String> acks = new ArrayList<>();
            for (String voter : voters) {
                long mi = voter.equals(n.name) ? n.len : n.match.getOrDefault(voter, 0L);
                if (mi >= newCommit) {
                    yes++;
                    acks.add(voter);
                }
            }
            require(yes * 2 > voters.size(), "LeaderCommitRule", n.name + " commits index " + newCommit + " stored on "
                    + acks + " only (voters " + voters + ", acknowledged: " + n.match + ")");
        } else {
            JsonNode r = n.receiving;
            String type = r == null ? "" : text(r, "type");
            long bound = switch (type) {
                case "AppendEntriesRequest" -> Math.min(num(r, "commit"), num(r, "index") + numOr(r, "entries", 0));
                case "Heartbeat" -> num(r, "commit");
                case "Snapshot" -> num(r, "snapIndex");
                default -> -1;
            };
            require(bound >= 0, "FollowerCommitRule", n.name + " (" + pState + ") advanced its commit index without handling a leader's message");
            require(newCommit <= bound, "FollowerCommitRule", n.name + " commits " + newCommit + " but the leader's message allows " + bound);
        }
        if (n.pending != null && n.pending.outcome() == Outcome.SNAPSHOT) {
            return; // the snapshot's entries are not in the log model (yet): nothing to compare
        }
        for (long i = oldCommit + 1; i <= newCommit; i++) {
            long t = n.termAt(i);
            if (t == UNKNOWN) {
                continue;
            }
            Long prev = committed.putIfAbsent(i, t);
            require(prev == null || prev == t, "StateMachineSafety", n.name + " commits index " + i + " with term " + t
                    + " but term " + prev + " was committed there before");
        }
    }
}
