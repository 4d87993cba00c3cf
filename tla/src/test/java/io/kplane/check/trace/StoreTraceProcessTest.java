package io.kplane.check.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.AdminStatus;
import io.kplane.server.LogStoreProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code kplane store} processes on loopback, each with {@code --trace-out}: writes, {@code kill -9}
 * of the leader, a new leader, more writes than the snapshot threshold while the killed member is down, its
 * restart (it continues its own trace file and catches up through a snapshot), SIGTERM. The three member files
 * merge by their stamps into one trace that {@link TraceChecker} accepts and TLC replays with TraceRaft.tla
 * ({@link TlcTraceCommand}): batched appends, a snapshot install, a restart that lost its unsynced suffix.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StoreTraceProcessTest {

    @TempDir
    Path dir;

    private LogStoreProcesses cluster;

    @AfterEach
    void killAll() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every member writes its own trace file (a restarted member continues it). */
    private void start(String name) throws IOException {
        cluster.start(name, "--trace-out", dir.resolve(name + ".ndjson").toString());
    }

    @Test
    void aThreeProcessRunWithALeaderKillProducesMemberTracesThatMergeAndValidate() throws Exception {
        List<String> names = List.of("n1", "n2", "n3");
        cluster = new LogStoreProcesses(dir, names, List.of("--tick-ms", "50", "--election-ticks", "10",
                "--snapshot-count", "100", "--snapshot-catchup-entries", "20"));
        for (String n : names) {
            start(n);
        }
        String leader = cluster.awaitLeader(names, Duration.ofSeconds(90));
        assertThat(leader).as("a leader is elected").isNotNull();
        for (String n : names) { // a leader needs one follower's vote: the third may still be starting
            assertThat(cluster.awaitAnswer(n, Duration.ofSeconds(90))).as(n + " answers").isNotNull();
        }
        String follower = names.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        cluster.propose(follower, "a", 20);
        cluster.propose(leader, "b", 20);

        cluster.kill(leader);
        List<String> survivors = names.stream().filter(n -> !n.equals(leader)).toList();
        String newLeader = cluster.awaitLeader(survivors, Duration.ofSeconds(90));
        assertThat(newLeader).as("a new leader after kill -9 of " + leader).isNotNull();
        cluster.propose(newLeader, "c", 150); // beyond --snapshot-count: the restarted member catches up by snapshot

        start(leader);
        AdminStatus ls = cluster.status(newLeader);
        AdminStatus s = cluster.awaitApplied(leader, ls.commitIndex(), Duration.ofSeconds(90));
        assertThat(s).isNotNull();
        assertThat(s.appliedIndex()).as("the restarted member caught up").isGreaterThanOrEqualTo(ls.commitIndex());
        cluster.propose(leader, "d", 5);
        for (String n : names) {
            cluster.process(n).destroy();
        }
        for (String n : names) {
            assertThat(cluster.process(n).waitFor(15, TimeUnit.SECONDS)).as(n + " exits on SIGTERM").isTrue();
        }

        List<Path> files = names.stream().map(n -> dir.resolve(n + ".ndjson")).toList();
        long bytes = 0;
        for (Path f : files) {
            assertThat(Files.readString(f)).contains("\"member\":\"", "\"ts\":", "\"event\":\"Restart\"");
            bytes += Files.size(f);
        }
        assertThat(Files.readString(dir.resolve(leader + ".ndjson")).split("\"event\":\"Restart\"", -1))
                .as("the killed member continued its own file after restarting").hasSize(3);
        TraceResult r = TraceChecker.check(files);
        assertThat(r.violation()).as("violation").isNull();
        assertThat(r.leaders()).isGreaterThanOrEqualTo(2);
        assertThat(r.events()).containsKeys("BecomeLeader", "ClientRequest", "AdvanceCommitIndex", "SendAppendEntries",
                "Receive", "Reply", "SendSnapshot");
        assertThat(r.events().get("Restart")).isEqualTo(4);
        System.out.printf("store trace: %d lines, %d bytes in 3 files, %d elections, max commit %d, checked in %.2f s%n",
                r.lines(), bytes, r.leaders(), r.maxCommit(), r.seconds());

        // TLC is the judge: the merged trace replayed with TraceRaft.tla, every line explained.
        TlcTraceCommand.RunResult tlc = new TlcTraceCommand(System.out, Map.of(), false)
                .validate(files, Path.of("").toAbsolutePath()).get(0);
        try {
            assertThat(tlc.skipped()).as("skipped").isNull();
            assertThat(tlc.unexplained()).as("first unexplained line").isNull();
            assertThat(tlc.ok()).as(tlc.tlc().text()).isTrue();
            assertThat(tlc.lines()).isEqualTo((int) r.lines());
        } catch (AssertionError e) {
            // The run cannot be repeated at will (timing decides the interleaving): keep its traces,
            // which the temporary directory would take with it, so 'kplane check --tlc trace' can replay them.
            Path kept = Path.of("target", "store-trace-failure").toAbsolutePath();
            Files.createDirectories(kept);
            for (Path f : files) {
                Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            e.addSuppressed(new AssertionError("member traces kept in " + kept));
            throw e;
        }
    }
}
