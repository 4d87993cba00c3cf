package io.kplane.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs commands inside a named network namespace ({@code ip netns exec}), so that rules are
 * validated and applied there and never in the host's namespace. {@link #create} makes a fresh
 * namespace with a unique name that {@link #close()} deletes; {@link #existing} wraps one the user
 * names (and does not delete it). The host namespace is reachable only through {@link #host()}.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final String name;
    private final boolean owned;

    /** The output of a finished command. */
    public record Result(int exitCode, String stdout, String stderr, long nanos) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Result orThrow(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " failed (exit " + exitCode + "): " + stderr.strip());
            }
            return this;
        }
    }

    private NetworkNamespace(String name, boolean owned) {
        this.name = name;
        this.owned = owned;
    }

    /** Creates a fresh namespace named {@code prefix-PID-N}. */
    public static NetworkNamespace create(String prefix) throws IOException {
        String n = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Result r = run(List.of("ip", "netns", "add", n), null);
        if (!r.ok()) {
            throw new IOException("ip netns add " + n + " failed: " + r.stderr().strip());
        }
        NetworkNamespace ns = new NetworkNamespace(n, true);
        // Loopback up so that addrtype LOCAL and 127.0.0.1 behave as on a node.
        ns.exec(List.of("ip", "link", "set", "lo", "up"), (byte[]) null);
        return ns;
    }

    /** A namespace created by someone else ({@code ip netns add NAME}); it must exist. */
    public static NetworkNamespace existing(String name) throws IOException {
        Result r = run(List.of("ip", "netns", "list"), null);
        boolean found = false;
        for (String line : r.stdout().split("\n")) {
            if (line.equals(name) || line.startsWith(name + " ")) {
                found = true;
            }
        }
        if (!found) {
            throw new IOException("network namespace \"" + name + "\" does not exist (create it with: ip netns add "
                    + name + ")");
        }
        return new NetworkNamespace(name, false);
    }

    /** The host's own namespace: commands run directly. Only for an explicit user request. */
    public static NetworkNamespace host() {
        return new NetworkNamespace(null, false);
    }

    public String name() {
        return name;
    }

    /** Runs {@code command} in this namespace, feeding {@code stdin} (may be null). */
    public Result exec(List<String> command, byte[] stdin) throws IOException {
        List<String> full = new ArrayList<>();
        if (name != null) {
            full.addAll(List.of("ip", "netns", "exec", name));
        }
        full.addAll(command);
        return run(full, stdin);
    }

    public Result exec(List<String> command, String stdin) throws IOException {
        return exec(command, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
    }

    static Result run(List<String> command, byte[] stdin) throws IOException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).start();
        // Drain stdout/stderr on their own threads so large outputs cannot block the child.
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        try (OutputStream os = p.getOutputStream()) {
            if (stdin != null) {
                os.write(stdin);
            }
        } catch (IOException e) {
            // The child may exit early (e.g. a parse error); its exit code and stderr say why.
        }
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
        return new Result(p.exitValue(), out.text(), err.text(), System.nanoTime() - t0);
    }

    private static final class Drain extends Thread {
        private final InputStream in;
        private byte[] data = new byte[0];

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                data = in.readAllBytes();
            } catch (IOException e) {
                data = ("<" + e + ">").getBytes(StandardCharsets.UTF_8);
            }
        }

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Whether a program is on the PATH. */
    public static boolean available(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (new java.io.File(dir, program).canExecute()) {
                return true;
            }
        }
        return new java.io.File("/usr/sbin/" + program).canExecute() || new java.io.File("/sbin/" + program).canExecute();
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            Result r = run(List.of("ip", "netns", "del", name), null);
            if (!r.ok()) {
                throw new IOException("ip netns del " + name + " failed: " + r.stderr().strip());
            }
        }
    }
}
