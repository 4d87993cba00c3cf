package io.kplane.check.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.raft.sim.Mutation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace validation by TLC: simulation traces of the real core, written as TLA+ modules and replayed with
 * TraceRaft.tla by the bundled TLC. (The three-process store run is validated in {@link StoreTraceProcessTest}.)
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TlcTraceValidationTest {

    static final Path TLA = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    List<TlcTraceCommand.RunResult> validate(Path f) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<TlcTraceCommand.RunResult> r = new TlcTraceCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Map.of(), false).validate(List.of(f), TLA);
        System.out.print(bytes.toString(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void simulationRunsWithBatchedAppendsAreExplained() throws Exception {
        // Seeds 1-3 at 400 steps stay in the initial configuration (no membership change, which Raft.tla lacks).
        Path f = dir.resolve("sim.ndjson");
        TraceCheckerTest.simulate(f, Mutation.NONE, 1, 3, 400);
        assertThat(Files.readString(f)).as("a batched append").containsPattern("\"entryTerms\":\\[\\[\\d+,[2-9]\\]");
        List<TlcTraceCommand.RunResult> runs = validate(f);
        assertThat(runs).hasSize(3);
        for (TlcTraceCommand.RunResult r : runs) {
            assertThat(r.skipped()).as(r.run()).isNull();
            assertThat(r.ok()).as(r.run() + ": " + r.unexplained()).isTrue();
            assertThat(r.tlc().depth()).isEqualTo(r.lines() + 1);
        }
    }

    @Test
    void aReceiveOfAMessageNeverSentIsTheFirstUnexplainedLine() throws Exception {
        Path f = dir.resolve("sim.ndjson");
        TraceCheckerTest.simulate(f, Mutation.NONE, 1, 1, 400);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        int send = -1;
        for (int i = 0; i < lines.size() && send < 0; i++) {
            if (lines.get(i).contains("\"event\":\"SendAppendEntries\"")) {
                send = i;
            }
        }
        assertThat(send).isNotNegative();
        String msg = lines.get(send).replaceAll(".*(\"msg\":\\{[^}]*\\}).*", "$1");
        lines.remove(send);
        int receive = -1;
        for (int i = send; i < lines.size() && receive < 0; i++) {
            if (lines.get(i).contains("\"event\":\"Receive\"") && lines.get(i).contains(msg)) {
                receive = i;
            }
        }
        assertThat(receive).as("the append is received").isNotNegative();
        Path g = dir.resolve("forged.ndjson");
        Files.write(g, lines);
        TlcTraceCommand.RunResult r = validate(g).get(0);
        assertThat(r.ok()).isFalse();
        assertThat(r.unexplained()).isNotNull();
        assertThat(r.unexplained().lineNo()).isEqualTo(receive + 1);
    }

    /**
     * A leadership transfer (TimeoutNow, then the target's election without PreVote, as in etcd-io/raft) is explained
     * by TraceRaft.tla's TransferTimeout; SIGTERM of a store leader hands over this way.
     */
    @Test
    void aLeadershipTransferIsExplained() throws Exception {
        Path f = dir.resolve("transfer.ndjson");
        Files.write(f, TraceCheckerTest.transferRun());
        TlcTraceCommand.RunResult r = validate(f).get(0);
        assertThat(r.skipped()).isNull();
        assertThat(r.ok()).as("first unexplained line: " + r.unexplained()).isTrue();
        assertThat(r.tlc().depth()).isEqualTo(r.lines() + 1);
    }

    /** A follower that campaigns as a transfer target without its leader's TimeoutNow is not explained. */
    @Test
    void aTransferCampaignWithoutTheLeadersTimeoutNowIsTheFirstUnexplainedLine() throws Exception {
        List<String> lines = TraceCheckerTest.transferRun();
        int receive = -1;
        for (int i = 0; i < lines.size() && receive < 0; i++) {
            if (lines.get(i).contains("\"event\":\"Receive\"") && lines.get(i).contains("\"type\":\"TimeoutNow\"")) {
                receive = i;
            }
        }
        assertThat(receive).as("the TimeoutNow is received").isNotNegative();
        lines.remove(receive);
        int campaign = -1;
        for (int i = 0; i < lines.size() && campaign < 0; i++) {
            if (lines.get(i).contains("\"event\":\"Timeout\"") && lines.get(i).contains("\"transfer\":true")) {
                campaign = i;
            }
        }
        assertThat(campaign).isNotNegative();
        Path g = dir.resolve("forged.ndjson");
        Files.write(g, lines);
        TlcTraceCommand.RunResult r = validate(g).get(0);
        assertThat(r.ok()).isFalse();
        assertThat(r.unexplained()).isNotNull();
        assertThat(r.unexplained().lineNo()).isEqualTo(campaign + 1);
    }
}
