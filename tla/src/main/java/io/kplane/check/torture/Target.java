package io.kplane.check.torture;

import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The store under test: kplane's own members, or real etcd 3.4 as the reference. */
enum Target {
    KPLANE, ETCD;

    static final int CLIENT_PORT = 2379;
    static final int PEER_PORT = 2380;
    /** Entries between snapshots: small, so that snapshots (and InstallSnapshot to restarted members) happen under faults. */
    static final int SNAPSHOT_COUNT = 1000;

    String memberName(int i) {
        return (this == KPLANE ? "n" : "e") + i;
    }

    /**
     * The command line of member {@code i} (1-based) of {@code members}. {@code joining}: the
     * member is added to a running cluster (etcd: {@code --initial-cluster-state existing}).
     */
    List<String> command(int i, List<Integer> members, Path dataDir, boolean joining) throws IOException {
        String self = Sandbox.address(i);
        if (this == KPLANE) {
            String initial = members.stream().map(m -> memberName(m) + "=" + Sandbox.address(m) + ":" + PEER_PORT)
                    .collect(Collectors.joining(","));
            return ChildJvm.kplaneCommand(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    List.of("store", "--name", memberName(i), "--data-dir", dataDir.toString(),
                            "--initial-cluster", initial, "--initial-cluster-token", "kplane-torture",
                            "--initial-cluster-state", joining ? "existing" : "new",
                            "--listen-client", self + ":" + CLIENT_PORT,
                            "--snapshot-count", Integer.toString(SNAPSHOT_COUNT),
                            "--snapshot-catchup-entries", "500"));
        }
        String initial = members.stream().map(m -> memberName(m) + "=http://" + Sandbox.address(m) + ":" + PEER_PORT)
                .collect(Collectors.joining(","));
        List<String> cmd = new ArrayList<>(List.of("etcd",
                "--name", memberName(i),
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", "http://" + self + ":" + CLIENT_PORT,
                "--advertise-client-urls", "http://" + self + ":" + CLIENT_PORT,
                "--listen-peer-urls", "http://" + self + ":" + PEER_PORT,
                "--initial-advertise-peer-urls", "http://" + self + ":" + PEER_PORT,
                "--initial-cluster", initial,
                "--initial-cluster-token", "kplane-torture",
                "--initial-cluster-state", joining ? "existing" : "new",
                "--snapshot-count", Integer.toString(SNAPSHOT_COUNT)));
        return cmd;
    }

    static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }
}
