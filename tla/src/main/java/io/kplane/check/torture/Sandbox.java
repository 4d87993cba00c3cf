package io.kplane.check.torture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The private world a torture run lives in, so that its faults never touch the host: the harness
 * re-executes itself under {@code unshare --net --mount} (a fresh network namespace and a private
 * mount namespace), and there gives each member a network namespace of its own, joined to the
 * harness's by a veth pair on one bridge:
 *
 * <pre>
 *   harness netns: bridge kt0 10.77.0.1/24 -- kv1 ... kvN
 *   member i netns (kt-i): eth0 10.77.0.(10+i)/24, lo
 * </pre>
 *
 * Members are separate hosts to each other (each connects from its own address), so a partition
 * is a pair of iptables DROP rules inside the members' own namespaces. {@code /run/netns} gets a
 * private tmpfs first, so the member namespaces' names never appear on the host. Each member's
 * data directory is a tmpfs of its own: filling it is the disk-full fault.
 */
final class Sandbox {

    /** Set in the environment of the re-executed harness. */
    static final String ENV = "KPLANE_TORTURE_SANDBOX";

    private final int members;
    private final java.util.Set<Integer> partitioned = new java.util.concurrent.ConcurrentSkipListSet<>();

    private Sandbox(int members) {
        this.members = members;
    }

    static boolean inside() {
        return "1".equals(System.getenv(ENV));
    }

    /** Why a sandbox cannot be made here, or {@code null} if it can. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (network namespaces, iptables, tmpfs mounts)";
        }
        for (String tool : List.of("unshare", "ip", "iptables", "iptables-restore", "mount")) {
            if (!onPath(tool)) {
                return "needs '" + tool + "' on the PATH";
            }
        }
        return null;
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code command} (a JVM command line) in a fresh network + mount namespace; returns its
     * exit code. Its output is copied line by line into {@code out} and {@code err} (not inherited),
     * so a caller that captures those — a test — also sees why a run failed.
     */
    static int reexec(List<String> command, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--net", "--mount", "--propagation", "private", "--"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(ENV, "1");
        Process p = pb.start();
        Thread hook = new Thread(() -> {
            p.destroy(); // SIGTERM: the sandboxed harness stops its members and exits
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Thread outPump = pump(p.getInputStream(), out, "torture-stdout");
        Thread errPump = pump(p.getErrorStream(), err, "torture-stderr");
        int code = p.waitFor();
        outPump.join();
        errPump.join();
        Runtime.getRuntime().removeShutdownHook(hook);
        return code;
    }

    private static Thread pump(InputStream from, PrintWriter to, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    to.println(line);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the child is gone; what it wrote so far has been copied
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Builds the member namespaces; only inside the re-executed harness. */
    static Sandbox create(int members) throws IOException, InterruptedException {
        if (!inside()) {
            throw new IllegalStateException("not inside the torture sandbox");
        }
        Sandbox s = new Sandbox(members);
        Files.createDirectories(Path.of("/run/netns"));
        s.run("mount", "-t", "tmpfs", "-o", "size=1m", "kplane-torture-netns", "/run/netns");
        s.run("ip", "link", "set", "lo", "up");
        s.run("ip", "link", "add", "kt0", "type", "bridge");
        s.run("ip", "addr", "add", "10.77.0.1/24", "dev", "kt0");
        s.run("ip", "link", "set", "kt0", "up");
        for (int i = 1; i <= members; i++) {
            String ns = namespace(i);
            s.run("ip", "netns", "add", ns);
            s.run("ip", "link", "add", "kv" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
            s.run("ip", "link", "set", "kv" + i, "master", "kt0", "up");
            s.run("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
            s.run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            s.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
        return s;
    }

    static String namespace(int member) {
        return "kt-" + member;
    }

    /** Member {@code i}'s (1-based) address. */
    static String address(int member) {
        return "10.77.0." + (10 + member);
    }

    /** {@code command} run inside member {@code i}'s network namespace. */
    List<String> inMember(int member, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(member)));
        cmd.addAll(command);
        return cmd;
    }

    /** Drops all traffic between every member of {@code side} and every member of {@code other}. */
    void partition(Collection<Integer> side, Collection<Integer> other) throws IOException, InterruptedException {
        java.util.Map<Integer, StringBuilder> rules = new java.util.TreeMap<>();
        for (int a : side) {
            for (int b : other) {
                drop(rules, a, b);
                drop(rules, b, a);
            }
        }
        for (var e : rules.entrySet()) {
            restore(e.getKey(), "*filter\n" + e.getValue() + "COMMIT\n", true);
        }
        partitioned.addAll(rules.keySet());
    }

    private static void drop(java.util.Map<Integer, StringBuilder> rules, int at, int peer) {
        rules.computeIfAbsent(at, k -> new StringBuilder())
                .append("-A INPUT -s ").append(address(peer)).append(" -j DROP\n")
                .append("-A OUTPUT -d ").append(address(peer)).append(" -j DROP\n");
    }

    /** Removes every partition rule. */
    void heal() throws IOException, InterruptedException {
        for (int m : List.copyOf(partitioned)) {
            restore(m, "*filter\nCOMMIT\n", false); // an empty filter table
            partitioned.remove(m);
        }
    }

    /** One {@code iptables-restore} in member {@code m}'s namespace: all of a change in one process. */
    private void restore(int m, String rules, boolean noflush) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(m), "iptables-restore", "-w"));
        if (noflush) {
            cmd.add("--noflush");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(rules.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip() + "\n" + rules);
        }
    }

    /** Mounts a tmpfs of {@code bytes} on {@code dir} (the member's disk). */
    void mountDisk(Path dir, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "kplane-torture-disk", dir.toString());
    }

    void unmount(Path dir) {
        try {
            run("umount", "-l", dir.toString());
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // the mount namespace dies with the harness anyway
        }
    }

    /** Runs a command to completion; a non-zero exit is an error with its output. */
    String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /** Sends {@code signal} (e.g. STOP, CONT, KILL) to {@code pid}; quietly if it is gone. */
    static void signal(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static Map<String, String> describe(int members) {
        return Map.of("network", "unshare --net --mount; bridge kt0 10.77.0.1/24; member i in netns kt-i at 10.77.0.(10+i)",
                "partition", "iptables DROP INPUT -s peer / OUTPUT -d peer inside the members' namespaces",
                "disks", members + " tmpfs mounts, one per member data dir");
    }
}
