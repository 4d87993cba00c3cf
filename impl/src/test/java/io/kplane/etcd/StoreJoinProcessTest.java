package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's way of growing a cluster, with real etcdctl and {@code kplane store} processes:
 * {@code etcdctl member add n4 --learner}, then {@code kplane store --name n4
 * --initial-cluster-state existing}; the new member learns its id and peers from a running
 * member, catches up, publishes its name and client URL, is promoted and takes writes, and
 * restarts from its data dir with no peer to ask. A member that was never added is refused with a
 * clear message.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreJoinProcessTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsEtcdctl() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcdctl not installed");
    }

    record Ctl(int exit, String out) {}

    static Ctl etcdctl(String endpoint, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint, "--dial-timeout", "5s",
                "--command-timeout", "10s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " hung");
        }
        return new Ctl(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static Ctl awaitCtl(String endpoint, Predicate<Ctl> done, int seconds, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Ctl last;
        do {
            last = etcdctl(endpoint, args);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        return last;
    }

    @Test
    void aMemberAddedWithEtcdctlJoinsWithInitialClusterStateExisting() throws Exception {
        List<String> jvm = List.of("-Xmx256m");
        try (KvClusterProcesses cluster = KvClusterProcesses.start(3, dir, jvm)) {
            String first = "http://" + cluster.clientEndpoints().get(0);
            assertThat(etcdctl(first, "put", "k", "v1").exit()).isZero();

            // A member nobody added is refused before it touches its data dir.
            int strayPeer = ChildJvm.freePort();
            Process stray = new ProcessBuilder(ChildJvm.kplaneCommand(jvm, List.of("store", "--name", "stray",
                    "--data-dir", dir.resolve("stray").toString(), "--initial-cluster-state", "existing",
                    "--initial-cluster", "n1=" + peerOf(dir, 1) + ",stray=127.0.0.1:" + strayPeer)))
                    .redirectErrorStream(true).start();
            assertThat(stray.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String strayOut = new String(stray.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(stray.exitValue()).as(strayOut).isEqualTo(2);
            assertThat(strayOut).contains("http://127.0.0.1:" + strayPeer + " is not a member of cluster",
                    "etcdctl member add stray");

            int peer = ChildJvm.freePort();
            int client = ChildJvm.freePort();
            Ctl added = etcdctl(first, "member", "add", "n4", "--peer-urls=http://127.0.0.1:" + peer, "--learner");
            assertThat(added.exit()).as(added.out()).isZero();
            Matcher id = Pattern.compile("Member\\s+([0-9a-f]+) added").matcher(added.out());
            assertThat(id.find()).as(added.out()).isTrue();
            int n4 = cluster.join(peer, client, dir, jvm);
            String fourth = "http://127.0.0.1:" + client;

            // It catches up (a serializable read on the learner sees the earlier write) ...
            Ctl read = awaitCtl(fourth, c -> c.out().equals("v1\n"), 90, "get", "k", "--print-value-only", "--consistency=s");
            assertThat(read.out()).as(log(dir, 4)).isEqualTo("v1\n");
            // ... and publishes its name and client URL: listed as started
            Ctl list = awaitCtl(first, c -> c.out().contains(", started, n4, http://127.0.0.1:" + peer), 60, "member", "list");
            assertThat(list.out()).as(log(dir, 4)).contains(id.group(1) + ", started, n4, http://127.0.0.1:" + peer
                    + ", " + fourth + ", true");

            // Promoted, it is a voter that serves linearizable writes and reads. Asked of a
            // follower, which forwards it to the leader (only the leader knows the learner's progress).
            String follower = followerOf(cluster.clientEndpoints().subList(0, 3));
            Ctl promoted = awaitCtl(follower, c -> c.exit() == 0 || !c.out().contains("in sync with leader"), 60,
                    "member", "promote", id.group(1));
            assertThat(promoted.exit()).as(promoted.out()).isZero();
            assertThat(promoted.out()).contains("promoted");
            assertThat(etcdctl(fourth, "put", "k", "v2").exit()).isZero();
            assertThat(etcdctl(first, "get", "k", "--print-value-only").out()).isEqualTo("v2\n");
            assertThat(etcdctl(first, "member", "list").out()).contains(id.group(1) + ", started, n4, http://127.0.0.1:"
                    + peer + ", " + fourth + ", false");
            assertThat(cluster.alive(n4)).isTrue();

            // Restarted, it needs no peer to answer: its data dir holds the cluster it joined and
            // its log the rest (here --initial-cluster names no reachable member at all).
            cluster.kill(n4);
            assertThat(etcdctl(first, "put", "k", "v3").exit()).isZero();
            Process again = new ProcessBuilder(ChildJvm.kplaneCommand(jvm, List.of("store", "--name", "n4",
                    "--data-dir", dir.resolve("n4").toString(), "--initial-cluster-state", "existing",
                    "--initial-cluster", "n1=127.0.0.1:" + ChildJvm.freePort() + ",n4=127.0.0.1:" + peer,
                    "--listen-client", "127.0.0.1:" + client)))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("n4-again.log").toFile()).start();
            try {
                Ctl caughtUp = awaitCtl(fourth, c -> c.out().equals("v3\n"), 90, "get", "k", "--print-value-only", "--consistency=s");
                String log = Files.readString(dir.resolve("n4-again.log"));
                assertThat(caughtUp.out()).as(log).isEqualTo("v3\n");
                assertThat(log).contains("member n4 restarts from its data dir");
                assertThat(etcdctl(fourth, "put", "k", "v4").exit()).isZero(); // a voter again: linearizable write
            } finally {
                again.destroy();
                again.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The client URL of a member that is not the leader, by etcdctl endpoint status. */
    static String followerOf(List<String> endpoints) throws Exception {
        for (String e : endpoints) {
            Ctl status = etcdctl("http://" + e, "endpoint", "status", "-w", "json");
            Matcher self = Pattern.compile("\"member_id\":(\\d+)").matcher(status.out());
            Matcher leader = Pattern.compile("\"leader\":(\\d+)").matcher(status.out());
            if (status.exit() == 0 && self.find() && leader.find() && !self.group(1).equals(leader.group(1))) {
                return "http://" + e;
            }
        }
        throw new AssertionError("no follower among " + endpoints);
    }

    /** n{i}'s peer address, as its log line "peers on /127.0.0.1:PORT" states it. */
    static String peerOf(Path dir, int i) throws Exception {
        Matcher m = Pattern.compile("peers on [^ ]*?(127\\.0\\.0\\.1:\\d+)").matcher(log(dir, i));
        assertThat(m.find()).as(log(dir, i)).isTrue();
        return m.group(1);
    }

    static String log(Path dir, int i) throws Exception {
        Path f = dir.resolve("n" + i + ".log");
        return Files.exists(f) ? Files.readString(f) : "(no log " + f + ")";
    }
}
