package io.kplane.check.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.AdminClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
 * Three real {@code kplane store} processes on loopback, each with {@code --trace-out}: writes, {@code kill -9}
 * of the leader, a new leader, more writes than the snapshot threshold while the killed member is down, its
 * restart (it continues its own trace file and catches up through a snapshot), SIGTERM. The three member files
 * merge by their stamps into one trace that {@link TraceChecker} accepts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreTraceProcessTest {

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
        try (InputStream in = StoreTraceProcessTest.class.getResourceAsStream("/io/kplane/cli/jvm.flags")) {
            if (in == null) {
                return List.of();
            }
            String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
        }
    }

    private void start(String name) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kplane.cli.Main", "store",
                "--name", name, "--data-dir", dir.resolve(name).toString(),
                "--listen-peer", "127.0.0.1:" + ports.get(name), "--initial-cluster", clusterSpec,
                "--state-machine", "log", "--tick-ms", "50", "--election-ticks", "10",
                "--snapshot-count", "100", "--snapshot-catchup-entries", "20",
                "--trace-out", dir.resolve(name + ".ndjson").toString()));
        processes.put(name, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    private AdminClient.Status status(String name) {
        try (AdminClient c = new AdminClient(new InetSocketAddress("127.0.0.1", ports.get(name)), 1000)) {
            return c.status();
        } catch (IOException e) {
            return null;
        }
    }

    private String awaitLeader(List<String> among) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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

    private void propose(String name, String prefix, int count) throws Exception {
        try (AdminClient c = new AdminClient(new InetSocketAddress("127.0.0.1", ports.get(name)), 10_000)) {
            for (int i = 0; i < count; i++) {
                for (int attempt = 0; ; attempt++) {
                    try {
                        c.propose((prefix + i).getBytes(StandardCharsets.UTF_8));
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
    }

    @Test
    void aThreeProcessRunWithALeaderKillProducesMemberTracesThatMergeAndValidate() throws Exception {
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
        String leader = awaitLeader(names);
        assertThat(leader).as("a leader is elected").isNotNull();
        String follower = names.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        propose(follower, "a", 20);
        propose(leader, "b", 20);

        processes.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        List<String> survivors = names.stream().filter(n -> !n.equals(leader)).toList();
        String newLeader = awaitLeader(survivors);
        assertThat(newLeader).as("a new leader after kill -9 of " + leader).isNotNull();
        propose(newLeader, "c", 150); // beyond --snapshot-count: the restarted member catches up by snapshot

        start(leader);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AdminClient.Status ls = status(newLeader);
        AdminClient.Status s = null;
        while (System.nanoTime() < deadline) {
            s = status(leader);
            if (s != null && s.appliedIndex() >= ls.commitIndex()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(s).isNotNull();
        assertThat(s.appliedIndex()).as("the restarted member caught up").isGreaterThanOrEqualTo(ls.commitIndex());
        propose(leader, "d", 5);
        for (String n : names) {
            processes.get(n).destroy();
        }
        for (String n : names) {
            assertThat(processes.get(n).waitFor(15, TimeUnit.SECONDS)).as(n + " exits on SIGTERM").isTrue();
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
    }
}
