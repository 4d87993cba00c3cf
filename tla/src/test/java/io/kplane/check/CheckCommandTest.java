package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

    record Run(int exit, String out) {}

    static Run check(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new CommandLine(new CheckCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8))).execute(args);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheFiguresAndOneLinePerInvariant() {
        Run r = check("election", "--quiet");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("== election:", "states generated", "distinct states", "max depth", "states/s",
                "elapsed", "exhaustive").containsPattern("AtMostOneLeader\\s+holds")
                .containsPattern("LeaderElectedAfterFaults\\s+holds")
                .containsPattern("actions fired\\s+: Create [\\d,]+, Get [\\d,]+, Get fails [\\d,]+, Tick [\\d,]+, Update [\\d,]+");
    }

    /** An elector that gives up after one failed try is safe; the default election run still fails it, on liveness. */
    @Test
    void theDefaultElectionRunCatchesAnElectorThatIsSafeButNotLive() {
        Run r = check("election", "--quiet", "--mutation", "GIVE_UP_AFTER_FAILED_TRY");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("Counterexample: LeaderElectedAfterFaults", "AFTER THE FAULTS STOP")
                .containsPattern("AtMostOneLeader\\s+not violated")
                .containsPattern("actions fired\\s+: .*Get fails \\d+");
    }

    @Test
    void aViolationExitsOneWithANumberedTrace() {
        Run r = check("election", "--quiet", "--skew", "2");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("VIOLATED", "Counterexample: AtMostOneLeader", "  1. Init", "  2. ");
    }

    @Test
    void watchAndMutationsFromTheCommandLine() {
        assertThat(check("watch", "--quiet").exit()).isZero();
        Run bug = check("watch", "--quiet", "--mutation", "COMPACTED_AT_BOUNDARY");
        assertThat(bug.exit()).isEqualTo(1);
        assertThat(bug.out()).contains("CompactedOnlyWhenGone        VIOLATED");
    }

    @Test
    void theDefaultRaftRunIsFourExhaustiveSearchesThatTogetherReachEveryRequiredBehaviour() {
        Run r = check("raft", "--quiet");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("== raft: ", "== raft-snapshot: ", "== raft-checkquorum: ", "== raft-diverging: ").doesNotContain("NEVER", "not exhaustive")
                .containsPattern("LeaderElectedAfterFaults\\s+holds");
        for (String behaviour : List.of("CheckQuorumStepDown", "ConcurrentCampaigns", "SnapshotInstall", "LeaderChange",
                "ProposalCommitted", "Restart", "LogsDiverge")) {
            assertThat(r.out()).containsPattern("reached " + behaviour + "\\s+[\\d,]+ steps");
        }
        // a mutation: the first search that finds a counterexample ends the run (this one used to run on
        // through the other searches for over ten minutes after its counterexample)
        Run bug = check("raft", "--quiet", "--mutation", "ACK_BEFORE_PERSIST");
        assertThat(bug.exit()).isEqualTo(1);
        assertThat(bug.out()).containsPattern("MatchIndexValid\\s+VIOLATED").doesNotContain("== raft-snapshot", "== raft-checkquorum");
        // any bound option: one search that must reach all six (these bounds miss SnapshotInstall)
        Run bounded = check("raft", "--quiet", "--max-ticks", "1", "--max-restarts", "0", "--max-drops", "0",
                "--max-duplicates", "0", "--max-compactions", "0");
        assertThat(bounded.exit()).isEqualTo(1);
        assertThat(bounded.out()).doesNotContain("== raft-snapshot").contains("FAILED: required behaviour(s) never reached: ")
                .containsPattern("reached SnapshotInstall\\s+NEVER");
    }

    @Test
    void theSimulationExportsAnNdjsonTrace(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.ndjson");
        Run r = check("raft", "--simulate", "--seeds", "3", "--steps", "400", "--trace-out", trace.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("every safety property held");
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).hasSizeGreaterThan(100);
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"seed\":").endsWith("}"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"Receive\"", "\"msg\":{\"type\":", "\"post\":{\"term\":"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"BecomeLeader\"", "\"voters\":["));

        // ... which 'check trace' validates; a corrupted copy is rejected with its line number
        Run ok = check("trace", trace.toString());
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("== trace:", "lines/s", "result           : OK");
        int k = 0;
        while (!lines.get(k).contains("\"event\":\"Receive\"")) {
            k++;
        }
        lines.set(k, lines.get(k).replace("\"term\":", "\"term\":4"));
        Path bad = dir.resolve("bad.ndjson");
        Files.write(bad, lines);
        Run no = check("trace", bad.toString());
        assertThat(no.exit()).isEqualTo(1);
        assertThat(no.out()).contains("VIOLATION at line " + (k + 1) + " (" + bad + ":" + (k + 1) + "): [ReceiveWasSent]");
        assertThat(check("trace").exit()).isEqualTo(2);
        assertThat(check("trace", dir.resolve("missing.ndjson").toString()).exit()).isEqualTo(2);
    }
}
