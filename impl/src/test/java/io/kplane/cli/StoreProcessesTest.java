package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.AdminClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Map<String, Process> processes = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private String clusterSpec;

    @AfterEach
    void killAll() {
        processes.values().forEach(Process::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> jvmFlags() throws IOException {
        try (InputStream in = StoreProcessesTest.class.getResourceAsStream("/io/kplane/cli/jvm.flags")) {
            String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
        }
    }

    private Process start(String name) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kplane.cli.Main", "store",
                "--name", name, "--data-dir", dir.resolve(name).toString(),
                "--listen-peer", "127.0.0.1:" + ports.get(name), "--initial-cluster", clusterSpec,
                "--state-machine", "log", "--tick-ms", String.valueOf(TICK_MS),
                "--election-ticks", String.valueOf(ELECTION_TICKS),
                "--snapshot-count", "200", "--snapshot-catchup-entries", "50"));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.put(name, p);
        return p;
    }

    private AdminClient.Status status(String name) {
        try (AdminClient c = new AdminClient(new InetSocketAddress("127.0.0.1", ports.get(name)), 1000)) {
            return c.status();
        } catch (IOException e) {
            return null;
        }
    }

    private String awaitLeader(List<String> among, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            for (String n : among) {
                AdminClient.Status s = status(n);
                if (s != null && s.isLeader()) {
                    return n;
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Proposes {@code count} commands through {@code name}; returns the last response position. */
    private long propose(String name, String prefix, int count) throws Exception {
        long last = -1;
        try (AdminClient c = new AdminClient(new InetSocketAddress("127.0.0.1", ports.get(name)), 10_000)) {
            for (int i = 0; i < count; i++) {
                byte[] cmd = (prefix + i).getBytes(StandardCharsets.UTF_8);
                for (int attempt = 0; ; attempt++) {
                    try {
                        last = ByteBuffer.wrap(c.propose(cmd)).getLong();
                        break;
                    } catch (AdminClient.AdminException e) {
                        if (attempt > 100) {
                            throw e;
                        }
                        Thread.sleep(50);
                    }
                }
            }
        }
        return last;
    }

    private String log(String name) throws IOException {
        Path p = dir.resolve(name + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Test
    void killedLeaderIsReplacedAndCatchesUpFromItsDataDirViaSnapshot() throws Exception {
        List<String> names = List.of("n1", "n2", "n3");
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            ports.put(n, freePort());
            parts.add(n + "=127.0.0.1:" + ports.get(n));
        }
        clusterSpec = String.join(",", parts);
        for (String n : names) {
            start(n);
        }
        String leader = awaitLeader(names, 30_000);
        assertThat(leader).as("a leader is elected; logs:\n" + log("n1") + log("n2") + log("n3")).isNotNull();
        assertThat(log(leader)).contains("member " + leader + " became leader at term");

        // A leader needs only one follower's vote: under load the third JVM may still be starting,
        // and connecting to it would be refused.
        for (String n : names) {
            long up = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (status(n) == null && System.nanoTime() < up) {
                Thread.sleep(50);
            }
            assertThat(status(n)).as(n + " answers; log:\n" + log(n)).isNotNull();
        }

        // Writes through a follower (forwarded to the leader) and through the leader.
        String follower = names.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        assertThat(propose(follower, "a", 50)).isEqualTo(49);
        assertThat(propose(leader, "b", 50)).isEqualTo(99);

        // kill -9 the leader while a client keeps writing to it (a crash in the middle of group commits).
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try (AdminClient c = new AdminClient(new InetSocketAddress("127.0.0.1", ports.get(leader)), 2000)) {
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
        processes.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        writing.set(false);
        List<String> survivors = names.stream().filter(n -> !n.equals(leader)).toList();
        String newLeader = awaitLeader(survivors, 10_000);
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        writer.join(5000);
        assertThat(newLeader).as("new leader after kill -9 of " + leader).isNotNull();
        // Election timeout is 0.5-1 s; allow a few of them (PreVote + vote rounds, two shared cores).
        assertThat(failoverMs).isLessThan(5_000);

        // Far more than snapshot-count (200) + catch-up (50) entries while it is down. Every write
        // acknowledged before the crash is in the log: the position of the first new command is
        // at least 100 + acknowledged.
        long first = propose(newLeader, "c", 1);
        assertThat(first).isGreaterThanOrEqualTo(100L + acknowledged.get());
        long last = propose(newLeader, "c", 399);
        assertThat(last).isEqualTo(first + 399);

        // The killed member restarts from its data dir and catches up through a snapshot.
        start(leader);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AdminClient.Status s = null;
        AdminClient.Status ls = status(newLeader);
        while (System.nanoTime() < deadline) {
            s = status(leader);
            if (s != null && s.appliedIndex() >= ls.commitIndex()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(s).isNotNull();
        assertThat(s.appliedIndex()).as("restarted member caught up; log:\n" + log(leader)).isGreaterThanOrEqualTo(ls.commitIndex());
        assertThat(log(leader)).contains("recovered: snapshot at").contains("installed snapshot at index");
        // All three state machines hold the same commands: one more command through each member
        // lands at consecutive positions (each member computes the position from its own state).
        long p = propose(leader, "d", 1);
        assertThat(p).isEqualTo(last + 1);
        assertThat(propose(survivors.get(0), "d", 1)).isEqualTo(p + 1);
        assertThat(propose(survivors.get(1), "d", 1)).isEqualTo(p + 2);

        // SIGTERM: clean shutdown.
        for (String n : names) {
            processes.get(n).destroy();
        }
        for (String n : names) {
            assertThat(processes.get(n).waitFor(15, TimeUnit.SECONDS)).as(n + " exits on SIGTERM").isTrue();
            assertThat(log(n)).contains("shutting down");
        }
        System.out.println("failover after kill -9 of the leader: " + failoverMs + " ms; writes acknowledged by it "
                + "before the kill: " + acknowledged.get());
    }
}
