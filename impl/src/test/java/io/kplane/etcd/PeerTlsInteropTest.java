package io.kplane.etcd;

import static io.kplane.etcd.StoreJoinProcessTest.awaitCtl;
import static io.kplane.etcd.StoreJoinProcessTest.etcdctl;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.etcd.StoreJoinProcessTest.Ctl;
import io.kplane.server.ChildJvm;
import io.kplane.server.TestCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer TLS with real etcd 3.4 as the oracle: the same certificates (one CA for the cluster, a
 * stranger certified by another) and the same etcdctl script against three etcd processes and three
 * {@code kplane store} processes, each with https:// peer URLs and {@code --peer-client-cert-auth}.
 * Both replicate a write, list the https peer URLs, add (and remove) a learner with an http:// peer
 * URL — etcd does not compare schemes at MemberAdd — add the stranger as a learner, refuse its
 * certificate so that it exits without joining (it stays unstarted in the member list), and keep
 * taking writes: the transcripts are equal.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PeerTlsInteropTest {
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed");
    }

    /** How one system starts member {@code name} with peer TLS. */
    private interface Launcher {
        Process start(String name, Path dataDir, String initialCluster, String state, int peerPort, int clientPort,
                      TestCertificateAuthority.Issued cert, Path trustedCa) throws Exception;
    }

    private static Process etcd(String name, Path dataDir, String initialCluster, String state, int peerPort, int clientPort,
                                TestCertificateAuthority.Issued cert, Path trustedCa) throws Exception {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "https://127.0.0.1:" + peerPort;
        List<String> cmd = List.of("etcd", "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster, "--initial-cluster-state", state, "--initial-cluster-token", "peer-tls",
                "--peer-cert-file", cert.certFile().toString(), "--peer-key-file", cert.keyFile().toString(),
                "--peer-trusted-ca-file", trustedCa.toString(), "--peer-client-cert-auth",
                "--log-level", "error", "--logger", "zap");
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(name + ".log").toFile()).start();
    }

    private static Process kplane(String name, Path dataDir, String initialCluster, String state, int peerPort,
                                  int clientPort, TestCertificateAuthority.Issued cert, Path trustedCa) throws Exception {
        List<String> args = List.of("store", "--name", name, "--data-dir", dataDir.toString(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state,
                "--listen-client", "127.0.0.1:" + clientPort,
                "--peer-cert-file", cert.certFile().toString(), "--peer-key-file", cert.keyFile().toString(),
                "--peer-trusted-ca-file", trustedCa.toString(), "--peer-client-cert-auth");
        return new ProcessBuilder(ChildJvm.kplaneCommand(JVM, args)).redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(name + ".log").toFile()).start();
    }

    @Test
    void peerTlsAdmitsTheClustersCertificatesAndRefusesAStrangerAsEtcdDoes() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("pki"), "cluster");
        TestCertificateAuthority otherCa = TestCertificateAuthority.create(dir.resolve("pki"), "other");
        List<String> etcd = script(PeerTlsInteropTest::etcd, dir.resolve("etcd"), ca, otherCa);
        List<String> kplane = script(PeerTlsInteropTest::kplane, dir.resolve("kplane"), ca, otherCa);
        assertThat(String.join("\n", kplane)).isEqualTo(String.join("\n", etcd));
        assertThat(etcd).contains("stranger: exited, not joined");
        assertThat(etcd).contains("member add n4 --peer-urls=http://... --learner: exit 0");
    }

    private static List<String> script(Launcher launcher, Path root, TestCertificateAuthority ca,
                                       TestCertificateAuthority otherCa) throws Exception {
        Files.createDirectories(root);
        int[] peer = new int[6];
        int[] client = new int[6];
        for (int i = 1; i <= 5; i++) {
            peer[i] = ChildJvm.freePort();
            client[i] = ChildJvm.freePort();
        }
        String initial = IntStream.rangeClosed(1, 3).mapToObj(i -> "n" + i + "=https://127.0.0.1:" + peer[i])
                .collect(Collectors.joining(","));
        List<Process> processes = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                processes.add(launcher.start("n" + i, root.resolve("n" + i), initial, "new", peer[i], client[i],
                        ca.issue("n" + i), ca.caFile()));
            }
            String n1 = "http://127.0.0.1:" + client[1];
            String n3 = "http://127.0.0.1:" + client[3];
            Ctl put = awaitCtl(n1, c -> c.exit() == 0, 90, "put", "k", "v1");
            lines.add("put through n1: exit " + put.exit());
            Ctl read = awaitCtl(n3, c -> c.out().equals("v1\n"), 60, "get", "k", "--print-value-only", "--consistency=s");
            lines.add("serializable get on n3: " + read.out().trim());
            String list = etcdctl(n1, "member", "list").out();
            for (int i = 1; i <= 3; i++) {
                lines.add("n" + i + " listed with https://127.0.0.1:PEER" + i + ": "
                        + list.contains(", started, n" + i + ", https://127.0.0.1:" + peer[i] + ","));
            }

            // An http:// peer URL in this TLS cluster: etcd 3.4's MemberAdd checks only that the URLs are
            // well formed and free, not their scheme against the members' (ClusterService.validUrls), so
            // both add it; such a member is refused when it starts (kplane: StoreCommand's scheme check).
            Ctl plain = awaitCtl(n1, c -> c.exit() == 0, 20, "member", "add", "n4",
                    "--peer-urls=http://127.0.0.1:" + peer[4], "--learner");
            lines.add("member add n4 --peer-urls=http://... --learner: exit " + plain.exit());
            // etcdctl pads member ids to 16 columns
            java.util.regex.Matcher plainId = java.util.regex.Pattern.compile("Member +([0-9a-f]+) added").matcher(plain.out());
            lines.add("n4 listed unstarted with http://: "
                    + etcdctl(n1, "member", "list").out().contains(", unstarted, , http://127.0.0.1:" + peer[4] + ", , true"));
            lines.add("member remove n4: exit " + (plainId.find() ? etcdctl(n1, "member", "remove", plainId.group(1)).exit() : -1));

            // The stranger: added like any member, certified by another CA, trusting the cluster's.
            Ctl added = awaitCtl(n1, c -> c.exit() == 0, 20, "member", "add", "n5",
                    "--peer-urls=https://127.0.0.1:" + peer[5], "--learner");
            lines.add("member add n5 --learner: exit " + added.exit());
            Process stranger = launcher.start("n5", root.resolve("n5"), "n1=https://127.0.0.1:" + peer[1]
                    + ",n5=https://127.0.0.1:" + peer[5], "existing", peer[5], client[5], otherCa.issue("n5"), ca.caFile());
            processes.add(stranger);
            boolean exited = stranger.waitFor(60, TimeUnit.SECONDS);
            lines.add("stranger: " + (exited && stranger.exitValue() != 0 ? "exited, not joined"
                    : exited ? "exited 0" : "still running"));
            list = etcdctl(n1, "member", "list").out();
            lines.add("n5 listed unstarted: " + list.contains(", unstarted, , https://127.0.0.1:" + peer[5] + ", , true"));
            lines.add("put through n3 afterwards: exit " + etcdctl(n3, "put", "k", "v2").exit());
            lines.add("get on n1: " + etcdctl(n1, "get", "k", "--print-value-only").out().trim());
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        Files.write(root.resolve("transcript.txt"), lines);
        return lines;
    }
}
