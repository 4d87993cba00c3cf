package io.kplane.etcd;

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

/** A real etcd 3.4 cluster (one or more members) on loopback with temporary data dirs: the interop tests' oracle. */
final class RealEtcd implements AutoCloseable {
    final int clientPort;
    final java.util.List<Integer> clientPorts = new java.util.ArrayList<>();
    private final java.util.List<Process> processes = new java.util.ArrayList<>();
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
        this(1);
    }

    RealEtcd(int members) throws Exception {
        this(members, new String[0]);
    }

    /** {@code extraArgs} go to every member, e.g. {@code --quota-backend-bytes=1}. */
    RealEtcd(int members, String... extraArgs) throws Exception {
        dataDir = Files.createTempDirectory("real-etcd");
        java.util.List<Integer> peerPorts = new java.util.ArrayList<>();
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < members; i++) {
            clientPorts.add(freePort());
            peerPorts.add(freePort());
            initial.append(i > 0 ? "," : "").append("e").append(i).append("=http://127.0.0.1:").append(peerPorts.get(i));
        }
        clientPort = clientPorts.get(0);
        for (int i = 0; i < members; i++) {
            String client = "http://127.0.0.1:" + clientPorts.get(i);
            String peer = "http://127.0.0.1:" + peerPorts.get(i);
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("etcd", "--name", "e" + i,
                    "--data-dir", dataDir.resolve("e" + i).toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initial.toString(), "--initial-cluster-token", "oracle-" + clientPort,
                    "--log-level", "error", "--logger", "zap"));
            cmd.addAll(java.util.List.of(extraArgs));
            processes.add(new ProcessBuilder(cmd)
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd-" + i + ".log").toFile()).start());
        }
        for (int port : clientPorts) {
            awaitReady(port);
        }
    }

    /** Ready = a linearizable read succeeds (so a leader is elected and known). */
    private void awaitReady(int port) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    io.etcd.jetcd.api.KVGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS)
                            .range(io.etcd.jetcd.api.RangeRequest.newBuilder()
                                    .setKey(com.google.protobuf.ByteString.copyFromUtf8("ready")).build());
                    return;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline || processes.stream().anyMatch(p -> !p.isAlive())) {
                        throw new IllegalStateException("etcd did not start: " + Files.readString(dataDir.resolve("etcd-0.log")), e);
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            ch.shutdownNow();
        }
    }

    String endpoint(int member) {
        return "http://127.0.0.1:" + clientPorts.get(member);
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
