package io.kplane.etcd;

import static io.kplane.etcd.StoreJoinProcessTest.awaitCtl;
import static io.kplane.etcd.StoreJoinProcessTest.etcdctl;
import static io.kplane.etcd.StoreJoinProcessTest.peerOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.etcd.StoreJoinProcessTest.Ctl;
import io.kplane.server.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An original member (one that bootstrapped the cluster with {@code --initial-cluster-state new})
 * restarts from its data dir whatever its flags say then, as etcd ignores
 * {@code --initial-cluster*} once a data dir exists: after kill -9 and a membership change it
 * missed, it comes back with {@code existing} and an {@code --initial-cluster} naming no reachable
 * peer, and again, after its peer URL was moved with {@code etcdctl member update}, with
 * {@code new}, an {@code --initial-cluster} that describes another cluster and {@code --listen-peer}
 * on the moved port. Real {@code kplane store} processes, real etcdctl.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreRestartProcessTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsEtcdctl() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcdctl not installed");
    }

    @Test
    void anOriginalMemberRestartsFromItsDataDirWhateverItsClusterFlagsSay() throws Exception {
        List<String> jvm = List.of("-Xmx256m");
        try (KvClusterProcesses cluster = KvClusterProcesses.start(3, dir, jvm)) {
            String n1 = "http://" + cluster.clientEndpoints().get(0);
            String n2 = "http://" + cluster.clientEndpoints().get(1);
            String n1Peer = peerOf(dir, 1);
            assertThat(etcdctl(n1, "put", "k", "v1").exit()).isZero();

            cluster.kill(0);
            // n1 may have led: n2 and n3 elect a leader first (one etcdctl call's 10 s timeout can be too
            // short for that on a loaded machine); a put is idempotent, so it may be retried.
            Ctl v2 = awaitCtl(n2, c -> c.exit() == 0, 60, "put", "k", "v2");
            assertThat(v2.exit()).as(v2.out()).isZero();
            // A change n1 misses: n3 leaves (committed by n2 and n3; n2 then needs n1 for a quorum).
            String n3Id = memberId(etcdctl(n2, "member", "list").out(), "n3");
            Ctl removed = etcdctl(n2, "member", "remove", n3Id);
            assertThat(removed.exit()).as(removed.out()).isZero();

            // existing, and --initial-cluster names no member that answers (n2's address is made up):
            // before, the member asked that address for the member list and exited.
            int unreachable = ChildJvm.freePort();
            int movedPeer = ChildJvm.freePort();
            Process again = restart(jvm, cluster, "existing", "n1=" + n1Peer + ",n2=127.0.0.1:" + unreachable, "n1-again.log");
            try {
                Ctl caughtUp = awaitCtl(n1, c -> c.out().equals("v2\n"), 90, "get", "k", "--print-value-only", "--consistency=s");
                String log = Files.readString(dir.resolve("n1-again.log"));
                assertThat(caughtUp.out()).as(log).isEqualTo("v2\n");
                assertThat(log).contains("member n1 restarts from its data dir");
                // a voter of the two-member cluster: a linearizable write needs n1 and n2
                Ctl put = awaitCtl(n1, c -> c.exit() == 0, 60, "put", "k", "v3");
                assertThat(put.exit()).as(put.out() + log).isZero();
                String members = etcdctl(n1, "member", "list").out();
                assertThat(members).contains(", n1, ", ", n2, ").doesNotContain(", n3, ");
                // n1's peer URL moves (n2 dials the new one from now on; n1 is restarted to listen there)
                Ctl moved = etcdctl(n2, "member", "update", memberId(members, "n1"), "--peer-urls=http://127.0.0.1:" + movedPeer);
                assertThat(moved.exit()).as(moved.out()).isZero();
            } finally {
                again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }

            // new, with an --initial-cluster of one member: another cluster id than the data dir's, and
            // its old peer URL, while --listen-peer is the moved one. Before, the start was refused
            // ("belongs to cluster ..."; then "--listen-peer port ... does not match"); etcd restarts
            // from its WAL and listens where --listen-peer-urls says.
            Process third = restart(jvm, cluster, "new", "n1=" + n1Peer, "n1-third.log",
                    "--listen-peer", "127.0.0.1:" + movedPeer);
            try {
                Ctl read = awaitCtl(n1, c -> c.out().equals("v3\n"), 90, "get", "k", "--print-value-only");
                String log = Files.readString(dir.resolve("n1-third.log"));
                assertThat(read.out()).as(log).isEqualTo("v3\n"); // linearizable: n2 took part, over the moved URL
                assertThat(log).contains("member n1 restarts from its data dir");
                assertThat(etcdctl(n2, "put", "k", "v4").exit()).isZero();
                assertThat(etcdctl(n1, "get", "k", "--print-value-only").out()).isEqualTo("v4\n");
            } finally {
                third.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process restart(List<String> jvm, KvClusterProcesses cluster, String state, String initialCluster,
                            String logName, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("store", "--name", "n1", "--data-dir", dir.resolve("n1").toString(),
                "--initial-cluster-state", state, "--initial-cluster", initialCluster,
                "--listen-client", cluster.clientEndpoints().get(0)));
        args.addAll(List.of(more));
        return new ProcessBuilder(ChildJvm.kplaneCommand(jvm, args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile()).start();
    }

    /** The hex id etcdctl member list shows for the member called {@code name}. */
    private static String memberId(String memberList, String name) {
        Matcher m = Pattern.compile("(?m)^([0-9a-f]+), started, " + name + ", ").matcher(memberList);
        assertThat(m.find()).as(memberList).isTrue();
        return m.group(1);
    }
}
