package io.kplane.check.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.raft.ConfState;
import io.kplane.raft.MemoryStorage;
import io.kplane.raft.Message;
import io.kplane.raft.RaftConfig;
import io.kplane.raft.RaftNode;
import io.kplane.raft.Ready;
import io.kplane.raft.StateType;
import io.kplane.raft.sim.Mutation;
import io.kplane.raft.sim.Simulation;
import io.kplane.raft.sim.SimulationConfig;
import io.kplane.raft.sim.SimulationResult;
import io.kplane.server.NdjsonTraceWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCheckerTest {

    @TempDir
    Path dir;

    /** Simulation traces of the correct core, several seeds in one file, validate. */
    @Test
    void simulationTracesOfSeveralSeedsValidate() throws IOException {
        Path f = dir.resolve("sim.ndjson");
        long lines = simulate(f, Mutation.NONE, 1, 12, 3000);
        TraceResult r = TraceChecker.check(List.of(f));
        assertThat(r.violation()).as("violation").isNull();
        assertThat(r.lines()).isEqualTo(lines).isGreaterThan(10_000);
        assertThat(r.runs()).isEqualTo(12);
        assertThat(r.leaders()).isGreaterThan(12);
        assertThat(r.events()).containsKeys("Restart", "Timeout", "StartElection", "BecomeLeader", "BecomeFollower",
                "ClientRequest", "AdvanceCommitIndex", "SendRequestVote", "SendAppendEntries", "Reply", "Receive",
                "Drop", "Duplicate", "CheckQuorum");
    }

    /** Writes seeds [from, from+count) to f; returns the number of lines. */
    static long simulate(Path f, Mutation mutation, int from, int count, int steps) throws IOException {
        try (NdjsonTraceWriter w = new NdjsonTraceWriter(Files.newBufferedWriter(f, StandardCharsets.UTF_8), null, false)) {
            for (int seed = from; seed < from + count; seed++) {
                w.setFields("\"seed\":" + seed);
                SimulationResult r = Simulation.run(SimulationConfig.defaults(seed, 3, steps).withMutation(mutation).withTracer(w));
                if (mutation == Mutation.NONE) {
                    assertThat(r.ok()).as("seed " + seed + " " + r.violation()).isTrue();
                }
            }
            return w.lines();
        }
    }

    // ------------------------------------------------------------------ a small deterministic run

    /** Three nodes (PreVote, CheckQuorum): s1 campaigns, wins, replicates two proposals; every message delivered. */
    static List<String> smallRun() {
        StringWriter out = new StringWriter();
        NdjsonTraceWriter w = new NdjsonTraceWriter(out, null, false);
        ConfState cs = ConfState.ofVoters(new long[] {1, 2, 3});
        RaftNode[] n = new RaftNode[4];
        for (int i = 1; i <= 3; i++) {
            n[i] = RaftNode.create(RaftConfig.defaults(i), MemoryStorage.bootstrap(cs), i);
            n[i].setTracer(w);
        }
        List<Message> net = new ArrayList<>();
        n[1].campaign();
        deliverAll(n, net);
        assertThat(n[1].role()).isEqualTo(StateType.LEADER);
        n[1].propose("a".getBytes(StandardCharsets.UTF_8));
        n[1].propose("b".getBytes(StandardCharsets.UTF_8));
        deliverAll(n, net);
        assertThat(n[2].commitIndex()).isEqualTo(n[1].commitIndex()).isEqualTo(4);
        return new ArrayList<>(out.toString().lines().toList());
    }

    /**
     * {@link #smallRun()}, then s1 hands leadership to s2 (etcd's MoveLeader): s1 sends TimeoutNow, s2 campaigns at
     * once as a Candidate without PreVote ({@code "transfer": true}) and becomes leader of term 2.
     */
    static List<String> transferRun() {
        StringWriter out = new StringWriter();
        NdjsonTraceWriter w = new NdjsonTraceWriter(out, null, false);
        ConfState cs = ConfState.ofVoters(new long[] {1, 2, 3});
        RaftNode[] n = new RaftNode[4];
        for (int i = 1; i <= 3; i++) {
            n[i] = RaftNode.create(RaftConfig.defaults(i), MemoryStorage.bootstrap(cs), i);
            n[i].setTracer(w);
        }
        List<Message> net = new ArrayList<>();
        n[1].campaign();
        deliverAll(n, net);
        n[1].propose("a".getBytes(StandardCharsets.UTF_8));
        deliverAll(n, net);
        n[1].transferLeadership(2);
        deliverAll(n, net);
        assertThat(n[2].role()).isEqualTo(StateType.LEADER);
        assertThat(n[1].role()).isEqualTo(StateType.FOLLOWER);
        return new ArrayList<>(out.toString().lines().toList());
    }

    /**
     * s1 wins an election and commits its empty entry; then election timeouts of its clock (the other clocks
     * stand still): in the first the followers answer its appends and heartbeats, in the second only heartbeats, so
     * both check-quorum ticks keep it leader; then every message s1 sends is lost, and two timeouts later its tick
     * steps it down in its own term (four CheckQuorum lines). The core traces a {@code CheckQuorum} line with the
     * state at the check (Leader) and, for the step-down, a {@code BecomeFollower} line right after it: the shape of
     * the line TLC could not explain in a loaded store run (issue #15).
     */
    static List<String> checkQuorumRun() {
        StringWriter out = new StringWriter();
        NdjsonTraceWriter w = new NdjsonTraceWriter(out, null, false);
        ConfState cs = ConfState.ofVoters(new long[] {1, 2, 3});
        RaftNode[] n = new RaftNode[4];
        for (int i = 1; i <= 3; i++) {
            n[i] = RaftNode.create(RaftConfig.defaults(i), MemoryStorage.bootstrap(cs), i);
            n[i].setTracer(w);
        }
        List<Message> net = new ArrayList<>();
        n[1].campaign();
        deliverAll(n, net);
        assertThat(n[1].role()).isEqualTo(StateType.LEADER);
        long term = n[1].term();
        int electionTick = RaftConfig.defaults(1).electionTick();
        for (int window = 0; window < 2; window++) {
            for (int t = 0; t < electionTick; t++) {
                n[1].tick();
                deliverAll(n, net);
            }
            assertThat(n[1].role()).as("heard from its followers").isEqualTo(StateType.LEADER);
        }
        // The answers to the heartbeat sent right after the second check count for the third, so the step-down
        // comes at the fourth.
        for (int t = 0; t < 2 * electionTick; t++) {
            n[1].tick();
            while (n[1].hasReady()) {
                Ready rd = n[1].ready();
                ((MemoryStorage) n[1].storage()).append(rd.entries());
                if (rd.hardState() != null) ((MemoryStorage) n[1].storage()).setHardState(rd.hardState());
                n[1].advance(rd); // its messages are lost
            }
        }
        assertThat(n[1].role()).as("stepped down by CheckQuorum").isEqualTo(StateType.FOLLOWER);
        assertThat(n[1].term()).isEqualTo(term);
        return new ArrayList<>(out.toString().lines().toList());
    }

    private static void deliverAll(RaftNode[] n, List<Message> net) {
        for (int round = 0; round < 50; round++) {
            for (int i = 1; i < n.length; i++) {
                while (n[i].hasReady()) {
                    Ready rd = n[i].ready();
                    ((MemoryStorage) n[i].storage()).append(rd.entries());
                    if (rd.hardState() != null) ((MemoryStorage) n[i].storage()).setHardState(rd.hardState());
                    net.addAll(rd.messages());
                    n[i].advance(rd);
                }
            }
            if (net.isEmpty()) return;
            List<Message> batch = new ArrayList<>(net);
            net.clear();
            for (Message m : batch) n[(int) m.to()].step(m);
        }
    }

    private TraceResult check(List<String> lines) throws IOException {
        Path f = dir.resolve("t" + System.nanoTime() + ".ndjson");
        Files.write(f, lines);
        return TraceChecker.check(List.of(f));
    }

    private static int indexOf(List<String> lines, String... parts) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (Arrays.stream(parts).allMatch(l::contains)) return i;
        }
        throw new AssertionError("no line with " + Arrays.toString(parts));
    }

    @Test
    void smallRunValidates() throws IOException {
        List<String> lines = smallRun();
        TraceResult r = check(lines);
        assertThat(r.violation()).isNull();
        assertThat(r.lines()).isEqualTo(lines.size());
        assertThat(r.leaders()).isEqualTo(1);
        assertThat(r.maxCommit()).isEqualTo(4);
    }

    @Test
    void aLeadershipTransferValidates() throws IOException {
        List<String> lines = transferRun();
        assertThat(lines).anyMatch(l -> l.contains("\"event\":\"Timeout\"") && l.contains("\"transfer\":true"));
        TraceResult r = check(lines);
        assertThat(r.violation()).as("violation").isNull();
        assertThat(r.leaders()).isEqualTo(2);
    }

    @Test
    void aCheckQuorumStepDownValidates() throws IOException {
        List<String> lines = checkQuorumRun();
        int stepDown = indexOf(lines, "\"event\":\"BecomeFollower\"", "\"node\":\"s1\"");
        assertThat(lines.get(stepDown - 1)).contains("\"event\":\"CheckQuorum\"", "\"state\":\"Leader\"");
        TraceResult r = check(lines);
        assertThat(r.violation()).as("violation").isNull();
        assertThat(r.lines()).isEqualTo(lines.size());
    }

    @Test
    void aTransferCampaignWithoutTheLeadersTimeoutNowIsRejected() throws IOException {
        List<String> lines = transferRun();
        lines.remove(indexOf(lines, "\"event\":\"Receive\"", "\"type\":\"TimeoutNow\""));
        int campaign = indexOf(lines, "\"event\":\"Timeout\"", "\"transfer\":true");
        TraceResult r = check(lines);
        assertThat(r.violation()).isNotNull();
        assertThat(r.violation().rule()).isEqualTo("TransferCampaign");
        assertThat(r.violation().line().lineNo()).isEqualTo(campaign + 1);
    }

    @Test
    void leaderWithoutQuorumOfVotesIsRejectedAtBecomeLeader() throws IOException {
        List<String> lines = smallRun();
        // s1 hears only its own vote: remove the Receive lines of both vote grants
        lines.removeIf(l -> l.contains("\"event\":\"Receive\"") && l.contains("\"node\":\"s1\"")
                && l.contains("RequestVoteResponse") && l.contains("\"prevote\":false"));
        int leader = indexOf(lines, "\"event\":\"BecomeLeader\"");
        TraceResult r = check(lines);
        assertThat(r.violation()).isNotNull();
        assertThat(r.violation().rule()).isEqualTo("LeaderQuorum");
        assertThat(r.violation().line().lineNo()).isEqualTo(leader + 1);
    }

    @Test
    void receiveOfNeverSentMessageIsRejectedAtThatLine() throws IOException {
        List<String> lines = smallRun();
        int recv = indexOf(lines, "\"event\":\"Receive\"", "AppendEntriesRequest", "\"node\":\"s3\"");
        lines.set(recv, lines.get(recv).replace("\"commit\":", "\"commit\":9"));
        TraceResult r = check(lines);
        assertThat(r.violation().rule()).isEqualTo("ReceiveWasSent");
        assertThat(r.violation().line().lineNo()).isEqualTo(recv + 1);
    }

    @Test
    void receivingOneMessageTwiceWithoutDuplicateIsRejected() throws IOException {
        List<String> lines = smallRun();
        int recv = indexOf(lines, "\"event\":\"Receive\"", "AppendEntriesRequest", "\"node\":\"s2\"");
        lines.add(recv + 1, lines.get(recv));
        TraceResult r = check(lines);
        assertThat(r.violation().rule()).isEqualTo("ReceiveWasSent");
        assertThat(r.violation().line().lineNo()).isEqualTo(recv + 2);
        // ...while a Duplicate line in between explains it (a duplicated append is harmless to a follower)
        lines = smallRun();
        String dup = lines.get(recv).replace("\"event\":\"Receive\"", "\"event\":\"Duplicate\"").replaceAll(",\"post\":\\{[^}]*\\}", "");
        lines.add(recv, dup);
        assertThat(check(lines).violation()).isNull();
    }

    @Test
    void secondLeaderInOneTermIsRejectedAtItsLine() throws IOException {
        List<String> lines = smallRun();
        int leader = indexOf(lines, "\"event\":\"BecomeLeader\"");
        // s2 claims leadership of the same term right after s1
        String forged = lines.get(leader).replace("\"node\":\"s1\"", "\"node\":\"s2\"");
        lines.add(leader + 1, forged);
        TraceResult r = check(lines);
        assertThat(r.violation()).isNotNull();
        assertThat(r.violation().line().lineNo()).isEqualTo(leader + 2);
        assertThat(r.violation().rule()).isIn("ElectionSafety", "StateChange", "LeaderQuorum");
    }

    @Test
    void electionSafetyRuleCatchesTwoLeadersWithQuorums() throws IOException {
        // A five-node trace written by hand: s1 and s2 both become leader of term 2 with votes the checker cannot
        // refute because the grants come from disjoint voters lists (each claims a 3-node configuration).
        List<String> t = new ArrayList<>();
        for (String s : List.of("s1", "s2", "s3", "s4")) {
            t.add("{\"event\":\"Restart\",\"node\":\"" + s + "\",\"post\":{\"term\":1,\"state\":\"Follower\",\"commitIndex\":1,\"logLength\":1,\"vote\":null},\"log\":{\"snapIndex\":1,\"snapTerm\":1,\"runs\":[]}}");
        }
        t.addAll(elect("s1", "s3", List.of("s1", "s3", "s5")));
        t.addAll(elect("s2", "s4", List.of("s2", "s4", "s6")));
        TraceResult r = check(t);
        assertThat(r.violation().rule()).isEqualTo("ElectionSafety");
        assertThat(r.violation().line().lineNo()).isEqualTo(t.size());
    }

    private static List<String> elect(String cand, String voter, List<String> voters) {
        String vs = "[\"" + String.join("\",\"", voters) + "\"]";
        String req = "{\"type\":\"RequestVoteRequest\",\"source\":\"" + cand + "\",\"dest\":\"" + voter + "\",\"term\":2,\"prevote\":false,\"logTerm\":1,\"index\":1,\"commit\":0,\"reject\":false,\"rejectHint\":0}";
        String resp = "{\"type\":\"RequestVoteResponse\",\"source\":\"" + voter + "\",\"dest\":\"" + cand + "\",\"term\":2,\"prevote\":false,\"logTerm\":0,\"index\":0,\"commit\":0,\"reject\":false,\"rejectHint\":0}";
        return List.of(
                "{\"event\":\"Timeout\",\"node\":\"" + cand + "\",\"post\":{\"term\":2,\"state\":\"Candidate\",\"commitIndex\":1,\"logLength\":1,\"vote\":\"" + cand + "\"},\"voters\":" + vs + "}",
                "{\"event\":\"SendRequestVote\",\"node\":\"" + cand + "\",\"msg\":" + req + ",\"post\":{\"term\":2,\"state\":\"Candidate\",\"commitIndex\":1,\"logLength\":1,\"vote\":\"" + cand + "\"}}",
                "{\"event\":\"Receive\",\"node\":\"" + voter + "\",\"msg\":" + req + ",\"post\":{\"term\":1,\"state\":\"Follower\",\"commitIndex\":1,\"logLength\":1,\"vote\":null}}",
                "{\"event\":\"BecomeFollower\",\"node\":\"" + voter + "\",\"post\":{\"term\":2,\"state\":\"Follower\",\"commitIndex\":1,\"logLength\":1,\"vote\":null}}",
                "{\"event\":\"Reply\",\"node\":\"" + voter + "\",\"msg\":" + resp + ",\"post\":{\"term\":2,\"state\":\"Follower\",\"commitIndex\":1,\"logLength\":1,\"vote\":null}}",
                "{\"event\":\"Receive\",\"node\":\"" + cand + "\",\"msg\":" + resp + ",\"post\":{\"term\":2,\"state\":\"Candidate\",\"commitIndex\":1,\"logLength\":1,\"vote\":\"" + cand + "\"}}",
                "{\"event\":\"BecomeLeader\",\"node\":\"" + cand + "\",\"post\":{\"term\":2,\"state\":\"Leader\",\"commitIndex\":1,\"logLength\":2,\"vote\":\"" + cand + "\"},\"voters\":" + vs + "}");
    }

    @Test
    void followerAcceptingAppendWithoutThePreviousEntryIsRejected() throws IOException {
        List<String> lines = smallRun();
        // the append's previous entry claims a term s2 does not have there; the trace still shows it accepted
        int send = indexOf(lines, "\"event\":\"SendAppendEntries\"", "\"dest\":\"s2\"", "\"logTerm\":2,\"index\":2,", "\"entries\":1");
        int recv = indexOf(lines, "\"event\":\"Receive\"", "\"dest\":\"s2\"", "\"logTerm\":2,\"index\":2,", "\"entries\":1");
        UnaryOperator<String> bad = l -> l.replaceFirst("\"logTerm\":2,\"index\":2", "\"logTerm\":7,\"index\":2");
        String before = lines.get(recv);
        lines.set(send, bad.apply(lines.get(send)));
        lines.set(recv, bad.apply(lines.get(recv)));
        assertThat(lines.get(recv)).isNotEqualTo(before);
        TraceResult r = check(lines);
        // the leader's own log refutes the forged message first
        assertThat(r.violation().rule()).isEqualTo("MessageMatchesSender");
        assertThat(r.violation().line().lineNo()).isEqualTo(send + 1);
    }

    @Test
    void commitIndexGoingBackIsRejected() throws IOException {
        List<String> lines = smallRun();
        int last = lines.size() - 1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("\"node\":\"s2\"") && lines.get(i).contains("\"commitIndex\":4")) {
                last = i;
                break;
            }
        }
        lines.add(last + 1, lines.get(last).replace("\"commitIndex\":4", "\"commitIndex\":3"));
        TraceResult r = check(lines);
        assertThat(r.violation().rule()).isEqualTo("CommitMonotonic");
        assertThat(r.violation().line().lineNo()).isEqualTo(last + 2);
    }

    @Test
    void garbageLineIsReportedWithItsNumber() throws IOException {
        List<String> lines = smallRun();
        lines.add(3, "{not json");
        TraceResult r = check(lines);
        assertThat(r.violation().rule()).isEqualTo("TraceFormat");
        assertThat(r.violation().line().lineNo()).isEqualTo(4);
    }

    @Test
    void aWriterKilledMidLineLosesOnlyThatLine() throws IOException {
        List<String> lines = smallRun();
        // killed while writing line 20: the file ends in the middle of it
        Path f = dir.resolve("torn.ndjson");
        String partial = lines.get(19).substring(0, lines.get(19).length() / 2);
        Files.writeString(f, String.join("\n", lines.subList(0, 19)) + "\n" + partial);
        TraceResult r = TraceChecker.check(List.of(f));
        assertThat(r.violation()).isNull();
        assertThat(r.tornLines()).isEqualTo(1);
        assertThat(r.lines()).isEqualTo(19);
        // the restarted member appends to the same file: the torn line is ended first and skipped when reading
        ConfState cs = ConfState.ofVoters(new long[] {1, 2, 3});
        try (NdjsonTraceWriter w = NdjsonTraceWriter.open(f, "n1")) {
            MemoryStorage disk = MemoryStorage.bootstrap(cs);
            disk.setHardState(new io.kplane.raft.HardState(2, 1, 1)); // what s1 had persisted: term 2, its own vote
            RaftNode.create(RaftConfig.defaults(1), disk, 1).setTracer(w);
        }
        List<String> now = Files.readAllLines(f);
        assertThat(now).hasSize(21);
        assertThat(now.get(19)).isEqualTo(partial);
        assertThat(now.get(20)).contains("\"member\":\"n1\"", "\"event\":\"Restart\"");
        r = TraceChecker.check(List.of(f));
        assertThat(r.violation()).isNull();
        assertThat(r.tornLines()).isEqualTo(1);
        // a bad line that is not followed by a restart is not a torn write: it is reported
        lines.set(19, partial);
        r = check(lines);
        assertThat(r.violation().rule()).isEqualTo("TraceFormat");
        assertThat(r.violation().line().lineNo()).isEqualTo(20);
    }

    // ------------------------------------------------------------------ mutations

    /** Runs seeds of a mutated core until the checker rejects a trace; the correct core passes the same seeds. */
    private TraceViolation firstRejection(Mutation m, int maxSeeds) throws IOException {
        for (int seed = 1; seed <= maxSeeds; seed++) {
            Path f = dir.resolve(m + "-" + seed + ".ndjson");
            simulate(f, m, seed, 1, 3000);
            TraceResult r = TraceChecker.check(List.of(f));
            if (!r.ok()) {
                Path g = dir.resolve("ok-" + seed + ".ndjson");
                simulate(g, Mutation.NONE, seed, 1, 3000);
                assertThat(TraceChecker.check(List.of(g)).violation()).as("correct core, seed " + seed).isNull();
                return r.violation();
            }
        }
        return null;
    }

    @Test
    void grantTwoVotesInOneTermYieldsARejectedTrace() throws IOException {
        TraceViolation v = firstRejection(Mutation.GRANT_TWO_VOTES_IN_ONE_TERM, 40);
        assertThat(v).as("some seed's trace is rejected").isNotNull();
        assertThat(v.rule()).isIn("VoteOnce", "ElectionSafety", "LeaderQuorum");
        System.out.println("GRANT_TWO_VOTES_IN_ONE_TERM: " + v);
    }

    @Test
    void skipLogMatchingCheckYieldsARejectedTrace() throws IOException {
        TraceViolation v = firstRejection(Mutation.SKIP_LOG_MATCHING_CHECK, 40);
        assertThat(v).isNotNull();
        assertThat(v.rule()).isIn("AppendEntriesLogCheck", "LogMatching", "StateMachineSafety", "LogLength");
        System.out.println("SKIP_LOG_MATCHING_CHECK: " + v);
    }

    @Test
    void commitPriorTermByCountingYieldsARejectedTrace() throws IOException {
        TraceViolation v = firstRejection(Mutation.COMMIT_PRIOR_TERM_BY_COUNTING, 60);
        assertThat(v).isNotNull();
        assertThat(v.rule()).isIn("LeaderCommitRule", "StateMachineSafety");
        System.out.println("COMMIT_PRIOR_TERM_BY_COUNTING: " + v);
    }

    @Test
    void acceptStaleTermAppendYieldsARejectedTrace() throws IOException {
        TraceViolation v = firstRejection(Mutation.ACCEPT_STALE_TERM_APPEND, 40);
        assertThat(v).isNotNull();
        System.out.println("ACCEPT_STALE_TERM_APPEND: " + v);
    }
}
