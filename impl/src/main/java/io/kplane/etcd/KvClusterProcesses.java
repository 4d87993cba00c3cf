package io.kplane.etcd;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An N-member kplane store as N {@code kplane store} processes (one JVM per member, as in
 * production): each with its own data dir, peer port and etcd client port on loopback. The
 * processes run this JVM's class path with the project's JVM flags. Member logs go to
 * {@code dataRoot/nI.log}. A runtime launcher, not a test fixture: {@code kplane bench} (its store
 * area) measures the clusters it starts.
 */
public final class KvClusterProcesses implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final StringBuilder initialCluster = new StringBuilder();

    /**
     * Starts the members and waits until each answers a linearizable read (so a leader is known).
     *
     * @param extraArgs extra {@code kplane store} options for every member, e.g. {@code --unsafe-no-fsync}
     */
    public static KvClusterProcesses start(int size, Path dataRoot, List<String> jvmOptions, String... extraArgs)
            throws IOException, InterruptedException {
        KvClusterProcesses c = new KvClusterProcesses();
        try {
            List<Integer> peerPorts = new ArrayList<>();
            StringBuilder initial = c.initialCluster;
            for (int i = 1; i <= size; i++) {
                peerPorts.add(ChildJvm.freePort());
                c.clientPorts.add(ChildJvm.freePort());
                initial.append(i > 1 ? "," : "").append("n").append(i).append("=127.0.0.1:").append(peerPorts.get(i - 1));
            }
            for (int i = 1; i <= size; i++) {
                List<String> args = new ArrayList<>(List.of("store",
                        "--name", "n" + i, "--data-dir", dataRoot.resolve("n" + i).toString(),
                        "--initial-cluster", initial.toString(),
                        "--listen-client", "127.0.0.1:" + c.clientPorts.get(i - 1)));
                args.addAll(Arrays.asList(extraArgs));
                List<String> cmd = ChildJvm.kplaneCommand(jvmOptions, args);
                c.processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dataRoot.resolve("n" + i + ".log").toFile()).start());
            }
            for (int port : c.clientPorts) {
                c.awaitReady(port, dataRoot);
            }
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Starts one more member, {@code n<size+1>}, with {@code --initial-cluster-state existing}: it
     * joins the running cluster as the member that was added (e.g. by {@code etcdctl member add})
     * with peer URL {@code http://127.0.0.1:peerPort}. Does not wait for it; returns its index.
     */
    public int join(int peerPort, int clientPort, Path dataRoot, List<String> jvmOptions) throws IOException {
        String name = "n" + (processes.size() + 1);
        initialCluster.append(',').append(name).append("=127.0.0.1:").append(peerPort);
        List<String> args = List.of("store", "--name", name, "--data-dir", dataRoot.resolve(name).toString(),
                "--initial-cluster", initialCluster.toString(), "--initial-cluster-state", "existing",
                "--listen-client", "127.0.0.1:" + clientPort);
        clientPorts.add(clientPort);
        processes.add(new ProcessBuilder(ChildJvm.kplaneCommand(jvmOptions, args)).redirectErrorStream(true)
                .redirectOutput(dataRoot.resolve(name + ".log").toFile()).start());
        return processes.size() - 1;
    }

    /** Whether member {@code i}'s process is still running. */
    public boolean alive(int i) {
        return processes.get(i).isAlive();
    }

    private void awaitReady(int port, Path dataRoot) throws InterruptedException {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    KVGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("ready")).build());
                    return;
                } catch (RuntimeException e) {
                    for (int i = 0; i < processes.size(); i++) {
                        if (!processes.get(i).isAlive()) {
                            throw new IllegalStateException("member n" + (i + 1) + " exited; see " + dataRoot.resolve("n" + (i + 1) + ".log"));
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("member on client port " + port + " not ready within 60 s", e);
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            ch.shutdownNow();
        }
    }

    /** host:port of every member's etcd endpoint, member order. */
    public List<String> clientEndpoints() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** Stops member {@code i} (0-based) with SIGKILL, to test failures. */
    public void kill(int i) throws InterruptedException {
        processes.get(i).destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
