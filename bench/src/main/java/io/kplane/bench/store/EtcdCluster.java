package io.kplane.bench.store;

import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real etcd cluster (the Debian {@code etcd-server} binary, 3.4) on loopback, one process per
 * member, each with its own data directory and fsync on — the peer kplane is measured against.
 */
public final class EtcdCluster implements StoreCluster {

    private final List<Process> members = new ArrayList<>();
    private final List<String> clientEndpoints = new ArrayList<>();
    private final Path baseDir;

    private EtcdCluster(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Whether an {@code etcd} binary is on the PATH. */
    public static boolean installed() {
        return executable("etcd");
    }

    static boolean executable(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
    }

    /** Starts {@code size} members and waits until every one answers a client request. */
    public static EtcdCluster start(int size, Path baseDir) throws IOException, InterruptedException {
        EtcdCluster cluster = new EtcdCluster(baseDir);
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {ChildJvm.freePort(), ChildJvm.freePort()});
        }
        String initialCluster = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> "e" + (i + 1) + "=http://127.0.0.1:" + ports.get(i)[1])
                .collect(Collectors.joining(","));
        try {
            for (int i = 0; i < size; i++) {
                String name = "e" + (i + 1);
                Path dataDir = baseDir.resolve(name);
                Files.createDirectories(dataDir);
                String client = "http://127.0.0.1:" + ports.get(i)[0];
                String peer = "http://127.0.0.1:" + ports.get(i)[1];
                ProcessBuilder pb = new ProcessBuilder("etcd",
                        "--name", name,
                        "--data-dir", dataDir.resolve("data").toString(),
                        "--listen-client-urls", client,
                        "--advertise-client-urls", client,
                        "--listen-peer-urls", peer,
                        "--initial-advertise-peer-urls", peer,
                        "--initial-cluster", initialCluster,
                        "--initial-cluster-token", "kplane-bench",
                        "--initial-cluster-state", "new",
                        "--quota-backend-bytes", String.valueOf(8L << 30))
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolve("etcd.log").toFile());
                cluster.members.add(pb.start());
                cluster.clientEndpoints.add("127.0.0.1:" + ports.get(i)[0]);
            }
            StoreProbe.awaitReady(cluster.clientEndpoints, Duration.ofSeconds(30));
            return cluster;
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }


    @Override
    public String system() {
        return "etcd";
    }

    @Override
    public List<String> clientEndpoints() {
        return List.copyOf(clientEndpoints);
    }

    @Override
    public List<Long> pids() {
        return members.stream().map(Process::pid).toList();
    }

    @Override
    public void close() {
        for (Process p : members) {
            p.destroy();
        }
        for (Process p : members) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(baseDir);
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory left behind is not worth failing a benchmark for
        }
    }
}
