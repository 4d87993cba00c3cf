package io.kplane.etcd;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real single-member etcd 3.4 on loopback with a temporary data dir: the oracle of the interop tests. */
final class RealEtcd implements AutoCloseable {
    final int clientPort;
    private final Process process;
    private final Path dataDir;

    static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "etcd")) && Files.isExecutable(Path.of(dir, "etcdctl"))) {
                return true;
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    RealEtcd() throws Exception {
        clientPort = freePort();
        int peerPort = freePort();
        dataDir = Files.createTempDirectory("real-etcd");
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder("etcd", "--name", "oracle", "--data-dir", dataDir.toString(),
                "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "oracle=" + peer, "--log-level", "error", "--logger", "zap")
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile()).start();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS)
                            .status(StatusRequest.getDefaultInstance());
                    return;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("etcd did not start: " + Files.readString(dataDir.resolve("etcd.log")), e);
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            ch.shutdownNow();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
