package io.kplane.bench.store;

import io.kplane.etcd.KvClusterProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** kplane's store as the benchmark's peer: N {@code kplane store --listen-client} processes on loopback. */
public final class KplaneStoreCluster implements StoreCluster {

    /**
     * The MVCC history lives on the heap and the benchmark never compacts (neither does its etcd
     * peer), so a full run holds millions of revisions: 2 GiB ran out in the txn phase.
     */
    static final String MEMBER_HEAP = "-Xmx5g";

    private final KvClusterProcesses processes;
    private final Path dir;

    private KplaneStoreCluster(KvClusterProcesses processes, Path dir) {
        this.processes = processes;
        this.dir = dir;
    }

    /**
     * Starts {@code size} members with fsync on (unless {@code noFsync}, which results then say).
     * Extra member JVM options (e.g. for profiling) may come from the environment variable
     * {@code KPLANE_STORE_MEMBER_JVM_OPTS}, separated by spaces.
     */
    public static KplaneStoreCluster start(int size, Path dir, boolean noFsync) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>();
        if (noFsync) {
            args.add("--unsafe-no-fsync");
        }
        List<String> jvm = new ArrayList<>(List.of(MEMBER_HEAP, "-XX:+ExitOnOutOfMemoryError"));
        String extra = System.getenv("KPLANE_STORE_MEMBER_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        KvClusterProcesses p = KvClusterProcesses.start(size, dir, jvm,
                args.toArray(String[]::new));
        return new KplaneStoreCluster(p, dir);
    }

    @Override
    public String system() {
        return "kplane";
    }

    @Override
    public List<String> clientEndpoints() {
        return processes.clientEndpoints();
    }

    @Override
    public List<Long> pids() {
        return processes.pids();
    }

    @Override
    public void close() {
        processes.close();
        EtcdCluster.deleteTree(dir);
    }
}
