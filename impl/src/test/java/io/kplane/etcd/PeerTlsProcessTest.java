package io.kplane.etcd;

import static io.kplane.etcd.StoreJoinProcessTest.awaitCtl;
import static io.kplane.etcd.StoreJoinProcessTest.etcdctl;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.ChildJvm;
import io.kplane.server.TestCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer TLS with {@code kplane store} processes and real etcdctl, certificates of two CAs made in
 * the test: three members with https:// peer URLs and {@code --peer-client-cert-auth} elect a
 * leader and replicate a write; a fourth, added with {@code etcdctl member add}, joins over TLS
 * (it asks a member for the member list on its peer port), catches up and is promoted through a
 * follower (which forwards the promote to the leader's peer port); a member whose certificate
 * another CA signed, though added the same way, gets no member list and does not start.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PeerTlsProcessTest {
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void needsEtcdctl() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcdctl not installed");
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Starts {@code kplane store} member {@code name} with peer TLS; output to {@code dir/NAME.log}. */
    private Process member(String name, String initialCluster, String state, int clientPort,
                           TestCertificateAuthority.Issued cert, TestCertificateAuthority trusted) throws Exception {
        List<String> args = List.of("store", "--name", name, "--data-dir", dir.resolve(name).toString(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state,
                "--listen-client", "127.0.0.1:" + clientPort,
                "--peer-cert-file", cert.certFile().toString(), "--peer-key-file", cert.keyFile().toString(),
                "--peer-trusted-ca-file", trusted.caFile().toString(), "--peer-client-cert-auth");
        Process p = new ProcessBuilder(ChildJvm.kplaneCommand(JVM, args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private String log(String name) throws Exception {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "(no log " + f + ")";
    }

    private String logs(int members) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= members; i++) {
            b.append("--- n").append(i).append(":\n").append(log("n" + i));
        }
        return b.toString();
    }

    @Test
    void membersOverPeerTlsReplicateJoinAndKeepOutAStrangerCertificate() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("pki"), "cluster");
        TestCertificateAuthority otherCa = TestCertificateAuthority.create(dir.resolve("pki"), "other");
        int[] peer = new int[6];
        int[] client = new int[6];
        for (int i = 1; i <= 5; i++) {
            peer[i] = ChildJvm.freePort();
            client[i] = ChildJvm.freePort();
        }
        String initial = IntStream.rangeClosed(1, 3).mapToObj(i -> "n" + i + "=https://127.0.0.1:" + peer[i])
                .collect(Collectors.joining(","));
        for (int i = 1; i <= 3; i++) {
            member("n" + i, initial, "new", client[i], ca.issue("n" + i), ca);
        }
        String n1 = "http://127.0.0.1:" + client[1];
        String n3 = "http://127.0.0.1:" + client[3];

        // Elected and replicated: a write through n1 is read from n3's own state (serializable).
        StoreJoinProcessTest.Ctl put = awaitCtl(n1, c -> c.exit() == 0, 90, "put", "k", "v1");
        assertThat(put.exit()).as(put.out() + logs(3)).isZero();
        StoreJoinProcessTest.Ctl read = awaitCtl(n3, c -> c.out().equals("v1\n"), 60, "get", "k", "--print-value-only",
                "--consistency=s");
        assertThat(read.out()).as(logs(3)).isEqualTo("v1\n");
        assertThat(etcdctl(n1, "member", "list").out()).contains("https://127.0.0.1:" + peer[1])
                .contains("https://127.0.0.1:" + peer[2]).contains("https://127.0.0.1:" + peer[3]);

        // A fourth member joins over TLS: the member list comes from n1's peer port.
        StoreJoinProcessTest.Ctl added = etcdctl(n1, "member", "add", "n4", "--peer-urls=https://127.0.0.1:" + peer[4], "--learner");
        assertThat(added.exit()).as(added.out()).isZero();
        Matcher id = Pattern.compile("Member\\s+([0-9a-f]+) added").matcher(added.out());
        assertThat(id.find()).as(added.out()).isTrue();
        member("n4", initial + ",n4=https://127.0.0.1:" + peer[4], "existing", client[4], ca.issue("n4"), ca);
        String n4 = "http://127.0.0.1:" + client[4];
        read = awaitCtl(n4, c -> c.out().equals("v1\n"), 90, "get", "k", "--print-value-only", "--consistency=s");
        assertThat(read.out()).as(log("n4")).isEqualTo("v1\n");
        // Promoted through a follower, which forwards it to the leader's peer port over TLS.
        String follower = StoreJoinProcessTest.followerOf(List.of("127.0.0.1:" + client[1], "127.0.0.1:" + client[2],
                "127.0.0.1:" + client[3]));
        StoreJoinProcessTest.Ctl promoted = awaitCtl(follower, c -> c.exit() == 0 || !c.out().contains("in sync with leader"),
                60, "member", "promote", id.group(1));
        assertThat(promoted.exit()).as(promoted.out() + logs(4)).isZero();
        assertThat(etcdctl(n4, "put", "k", "v2").exit()).isZero(); // a voter: a linearizable write through it
        assertThat(etcdctl(n1, "get", "k", "--print-value-only").out()).isEqualTo("v2\n");

        // A member added like n4, but certified by another CA: n1 refuses its certificate, so it
        // gets no member list, says why and does not start (it trusts the cluster's CA, so the
        // refusal is n1's --peer-client-cert-auth, not its own check of n1).
        assertThat(etcdctl(n1, "member", "add", "n5", "--peer-urls=https://127.0.0.1:" + peer[5], "--learner").exit()).isZero();
        Process stranger = member("n5", "n1=https://127.0.0.1:" + peer[1] + ",n5=https://127.0.0.1:" + peer[5], "existing",
                client[5], otherCa.issue("n5"), ca);
        assertThat(stranger.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String strangerLog = log("n5");
        assertThat(stranger.exitValue()).as(strangerLog).isEqualTo(2);
        assertThat(strangerLog).contains("no other member of --initial-cluster answered with the member list",
                "n1 (https://127.0.0.1:" + peer[1] + ")");
        assertThat(log("n1")).contains("rejecting peer connection from", "TLS handshake failed");
        assertThat(dir.resolve("n5").resolve("member.properties")).doesNotExist();

        // The cluster is unaffected.
        assertThat(etcdctl(n3, "put", "k", "v3").exit()).isZero();
        assertThat(awaitCtl(n4, c -> c.out().equals("v3\n"), 30, "get", "k", "--print-value-only", "--consistency=s").out())
                .isEqualTo("v3\n");
        assertThat(etcdctl(n1, "member", "list").out()).contains(id.group(1) + ", started, n4, https://127.0.0.1:" + peer[4]);
    }
}
