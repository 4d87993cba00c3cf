package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.AdminClient;
import io.kplane.server.AdminStatus;
import io.kplane.server.LogStoreProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code kplane store} member processes on loopback: election, replication, {@code kill -9}
 * of the leader, a new leader, and the killed member restarting from its data dir and catching up
 * through a snapshot.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreProcessesTest {

    private static final int TICK_MS = 50;
    private static final int ELECTION_TICKS = 10; // election timeout 0.5-1 s

    @TempDir
    Path dir;

    private LogStoreProcesses cluster;

    @AfterEach
    void killAll() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killedLeaderIsReplacedAndCatchesUpFromItsDataDirViaSnapshot() throws Exception {
        List<String> names = List.of("n1", "n2", "n3");
        cluster = new LogStoreProcesses(dir, names, List.of("--tick-ms", String.valueOf(TICK_MS),
                "--election-ticks", String.valueOf(ELECTION_TICKS), "--snapshot-count", "200", "--snapshot-catchup-entries", "50"));
        for (String n : names) {
            cluster.start(n);
        }
        String leader = cluster.awaitLeader(names, Duration.ofSeconds(30));
        assertThat(leader).as("a leader is elected; logs:\n" + cluster.log("n1") + cluster.log("n2") + cluster.log("n3")).isNotNull();
        assertThat(cluster.log(leader)).contains("member " + leader + " became leader at term");

        // A leader needs only one follower's vote: under load the third JVM may still be starting,
        // and connecting to it would be refused.
        for (String n : names) {
            assertThat(cluster.awaitAnswer(n, Duration.ofSeconds(30))).as(n + " answers; log:\n" + cluster.log(n)).isNotNull();
        }

        // Writes through a follower (forwarded to the leader) and through the leader.
        String follower = names.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        assertThat(cluster.propose(follower, "a", 50)).isEqualTo(49);
        assertThat(cluster.propose(leader, "b", 50)).isEqualTo(99);

        // kill -9 the leader while a client keeps writing to it (a crash in the middle of group commits).
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try (AdminClient c = cluster.admin(leader, 2000)) {
                for (int i = 0; writing.get(); i++) {
                    c.propose(("w" + i).getBytes(StandardCharsets.UTF_8));
                    acknowledged.incrementAndGet();
                }
            } catch (IOException expected) {
                // the leader died under us
            }
        });
        writer.start();
        long t = System.nanoTime();
        while (acknowledged.get() < 20 && System.nanoTime() - t < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(5);
        }
        cluster.kill(leader);
        long killedAt = System.nanoTime();
        writing.set(false);
        List<String> survivors = names.stream().filter(n -> !n.equals(leader)).toList();
        String newLeader = cluster.awaitLeader(survivors, Duration.ofSeconds(10));
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        writer.join(5000);
        assertThat(newLeader).as("new leader after kill -9 of " + leader).isNotNull();
        // Election timeout is 0.5-1 s; allow a few of them (PreVote + vote rounds, two shared cores).
        assertThat(failoverMs).isLessThan(5_000);

        // Far more than snapshot-count (200) + catch-up (50) entries while it is down. Every write
        // acknowledged before the crash is in the log: the position of the first new command is
        // at least 100 + acknowledged.
        long first = cluster.propose(newLeader, "c", 1);
        assertThat(first).isGreaterThanOrEqualTo(100L + acknowledged.get());
        long last = cluster.propose(newLeader, "c", 399);
        assertThat(last).isEqualTo(first + 399);

        // The killed member restarts from its data dir and catches up through a snapshot.
        cluster.start(leader);
        AdminStatus ls = cluster.status(newLeader);
        AdminStatus s = cluster.awaitApplied(leader, ls.commitIndex(), Duration.ofSeconds(30));
        assertThat(s).isNotNull();
        assertThat(s.appliedIndex()).as("restarted member caught up; log:\n" + cluster.log(leader)).isGreaterThanOrEqualTo(ls.commitIndex());
        assertThat(cluster.log(leader)).contains("recovered: snapshot at").contains("installed snapshot at index");
        // All three state machines hold the same commands: one more command through each member
        // lands at consecutive positions (each member computes the position from its own state).
        long p = cluster.propose(leader, "d", 1);
        assertThat(p).isEqualTo(last + 1);
        assertThat(cluster.propose(survivors.get(0), "d", 1)).isEqualTo(p + 1);
        assertThat(cluster.propose(survivors.get(1), "d", 1)).isEqualTo(p + 2);

        // SIGTERM: clean shutdown.
        for (String n : names) {
            cluster.process(n).destroy();
        }
        for (String n : names) {
            assertThat(cluster.process(n).waitFor(15, TimeUnit.SECONDS)).as(n + " exits on SIGTERM").isTrue();
            assertThat(cluster.log(n)).contains("shutting down");
        }
        System.out.println("failover after kill -9 of the leader: " + failoverMs + " ms; writes acknowledged by it "
                + "before the kill: " + acknowledged.get());
    }
}
