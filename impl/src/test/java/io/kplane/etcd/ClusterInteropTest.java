package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interop scripts over real clusters: a 3-member real etcd 3.4 against a 3-member kplane store
 * (Raft over TCP on loopback, WAL with fsync, etcd's default 100 ms tick so a loaded CI box does not flap), with the gRPC script sent to member 2 and the etcdctl
 * script to member 3 (followers or leader, whichever they are: both must behave the same).
 */
class ClusterInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed (CI installs etcd-server, etcd-client)");
    }

    @Test
    void threeMemberClustersAnswerAlike() throws Exception {
        List<String> etcdGrpc;
        EtcdctlInteropTest.Session etcdCtl;
        try (RealEtcd real = new RealEtcd(3)) {
            EtcdTranscript t = new EtcdTranscript(real.clientPorts.get(1));
            t.runKvAndLeaseScript();
            t.close();
            etcdGrpc = t.lines;
            etcdCtl = new EtcdctlInteropTest.Session(real.endpoint(2));
            EtcdctlInteropTest.script(etcdCtl);
        }
        List<String> kplaneGrpc;
        EtcdctlInteropTest.Session kplaneCtl;
        try (KvCluster cluster = KvCluster.start(3, dir, Duration.ofMillis(100), true)) {
            EtcdTranscript t = new EtcdTranscript(cluster.server(1).port());
            t.runKvAndLeaseScript();
            t.close();
            kplaneGrpc = t.lines;
            kplaneCtl = new EtcdctlInteropTest.Session(cluster.endpoints().get(2));
            EtcdctlInteropTest.script(kplaneCtl);
        }
        Path out = Path.of("target", "interop");
        Files.createDirectories(out);
        Files.write(out.resolve("cluster-grpc.etcd.txt"), etcdGrpc);
        Files.write(out.resolve("cluster-grpc.kplane.txt"), kplaneGrpc);
        Files.write(out.resolve("cluster-etcdctl.etcd.txt"), etcdCtl.lines);
        Files.write(out.resolve("cluster-etcdctl.kplane.txt"), kplaneCtl.lines);
        assertThat(String.join("\n", kplaneGrpc)).isEqualTo(String.join("\n", etcdGrpc));
        assertThat(String.join("\n", kplaneCtl.lines)).isEqualTo(String.join("\n", etcdCtl.lines));
    }
}
