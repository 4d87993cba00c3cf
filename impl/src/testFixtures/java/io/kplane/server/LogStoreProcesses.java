package io.kplane.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The members of a {@code kplane store --state-machine log} cluster as real processes on
 * loopback, driven through their admin ports: start, {@code kill -9}, restart from the data dir,
 * status, proposals. Used by tests that need what only separate processes show (a crash in the
 * middle of a group commit, recovery from disk, per-member trace files). Each member's output is
 * appended to {@code dir/NAME.log}; its data dir is {@code dir/NAME}.
 */
public final class LogStoreProcesses implements AutoCloseable {
    /** Small heap, quick start: these clusters hold a few hundred entries. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final Path dir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final String initialCluster;
    private final List<String> memberArgs;
    private final Map<String, Process> processes = new HashMap<>();

    /**
     * @param memberArgs {@code kplane store} options every member gets (e.g. {@code --tick-ms 50})
     */
    public LogStoreProcesses(Path dir, List<String> names, List<String> memberArgs) throws IOException {
        this.dir = dir;
        this.memberArgs = List.copyOf(memberArgs);
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            ports.put(n, ChildJvm.freePort());
            parts.add(n + "=127.0.0.1:" + ports.get(n));
        }
        this.initialCluster = String.join(",", parts);
    }

    public List<String> names() {
        return List.copyOf(ports.keySet());
    }

    /** Starts (or restarts, from its data dir) member {@code name}; {@code extraArgs} only for it. */
    public Process start(String name, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("store", "--name", name, "--data-dir", dir.resolve(name).toString(),
                "--listen-peer", "127.0.0.1:" + ports.get(name), "--initial-cluster", initialCluster,
                "--state-machine", "log"));
        args.addAll(memberArgs);
        args.addAll(Arrays.asList(extraArgs));
        Process p = new ProcessBuilder(ChildJvm.kplaneCommand(JVM_OPTIONS, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        processes.put(name, p);
        return p;
    }

    public Process process(String name) {
        return processes.get(name);
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill(String name) throws InterruptedException {
        processes.get(name).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** What the member reports on its admin port, or null if it does not answer (yet). */
    public AdminStatus status(String name) {
        try (AdminClient c = admin(name, 1000)) {
            return c.status();
        } catch (IOException e) {
            return null;
        }
    }

    public AdminClient admin(String name, int timeoutMs) throws IOException {
        return AdminClient.forDataDir(new InetSocketAddress("127.0.0.1", ports.get(name)), dir.resolve(name), timeoutMs);
    }

    /** The first of {@code among} found leading within {@code timeout}, or null. */
    public String awaitLeader(List<String> among, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String n : among) {
                AdminStatus s = status(n);
                if (s != null && s.isLeader()) {
                    return n;
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Waits until member {@code name} answers; its status, or null after {@code timeout}. */
    public AdminStatus awaitAnswer(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AdminStatus s;
        while ((s = status(name)) == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return s;
    }

    /** Waits until {@code name} has applied {@code index}; its last status (null if it never answered). */
    public AdminStatus awaitApplied(String name, long index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AdminStatus s = null;
        while (System.nanoTime() < deadline) {
            s = status(name);
            if (s != null && s.appliedIndex() >= index) {
                break;
            }
            Thread.sleep(50);
        }
        return s;
    }

    /**
     * Proposes {@code count} commands {@code prefix0, prefix1, …} through {@code name}, retrying
     * each while the cluster has no leader; returns the position the last one got in the log.
     */
    public long propose(String name, String prefix, int count) throws IOException, InterruptedException {
        long last = -1;
        try (AdminClient c = admin(name, 10_000)) {
            for (int i = 0; i < count; i++) {
                byte[] cmd = (prefix + i).getBytes(StandardCharsets.UTF_8);
                for (int attempt = 0; ; attempt++) {
                    try {
                        last = java.nio.ByteBuffer.wrap(c.propose(cmd)).getLong();
                        break;
                    } catch (AdminClient.AdminException e) {
                        if (attempt > 100) {
                            throw e;
                        }
                        Thread.sleep(50);
                    }
                }
            }
        }
        return last;
    }

    /** Member {@code name}'s output so far. */
    public String log(String name) throws IOException {
        Path p = dir.resolve(name + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
    }
}
