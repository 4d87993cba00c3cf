package io.kplane.cli;

import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The named child processes of {@code kplane up}: each component is a {@code kplane} subcommand in
 * its own JVM (so stopping one is a real crash of that component), logging to
 * {@code <dir>/logs/<name>.log}. Stop is SIGTERM (a clean shutdown: a leader releases its
 * Lease), then SIGKILL after a grace period; kill is SIGKILL at once (a crash). Used from one
 * thread at a time (the command loop or the shutdown hook), hence synchronized.
 */
final class LocalComponents {
    private record Spec(List<String> jvmOptions, List<String> args) {
    }

    private final Path logDir;
    private final PrintStream out;
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();

    /** @param out where a component that exits on its own (not stopped or killed here) is reported */
    LocalComponents(Path dir, PrintStream out) throws IOException {
        this.logDir = dir.resolve("logs");
        this.out = out;
        Files.createDirectories(logDir);
    }

    synchronized void define(String name, List<String> jvmOptions, List<String> args) {
        specs.put(name, new Spec(jvmOptions, args));
    }

    synchronized List<String> names() {
        return new ArrayList<>(specs.keySet());
    }

    /** Starts {@code name}; an error message, or null when it started (or already ran). */
    synchronized String start(String name) throws IOException {
        Spec spec = specs.get(name);
        if (spec == null) {
            return "no component " + name + " (known: " + String.join(", ", specs.keySet()) + ")";
        }
        Process p = running.get(name);
        if (p != null && p.isAlive()) {
            return null;
        }
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.kplaneCommand(spec.jvmOptions(), spec.args()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process started = pb.start();
        running.put(name, started);
        // A component that dies by itself (a fatal error at start, out of memory) would otherwise
        // leave the cluster quietly short of it; stop and kill remove it from running first.
        started.onExit().thenAccept(exited -> {
            synchronized (this) {
                if (running.get(name) == exited) {
                    running.remove(name);
                    out.println("up: " + name + " exited by itself (code " + exited.exitValue() + "); see " + log + "; `start "
                            + name + "` restarts it");
                    out.flush();
                }
            }
        });
        return null;
    }

    /** Stops {@code name}: SIGTERM, SIGKILL after 10 s. An error message, or null. */
    synchronized String stop(String name) throws InterruptedException {
        if (!specs.containsKey(name)) {
            return "no component " + name + " (known: " + String.join(", ", specs.keySet()) + ")";
        }
        Process p = running.remove(name);
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        return null;
    }

    /**
     * Kills {@code name} with SIGKILL: a crash, unlike {@link #stop}. Its shutdown hooks do not
     * run, so a leader keeps its Lease until the Lease expires and the standby must wait out
     * leaseDuration — the failure leader election exists for. An error message, or null.
     */
    synchronized String kill(String name) throws InterruptedException {
        if (!specs.containsKey(name)) {
            return "no component " + name + " (known: " + String.join(", ", specs.keySet()) + ")";
        }
        Process p = running.remove(name);
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return null;
    }

    /** Whether {@code name} runs now. */
    synchronized boolean alive(String name) {
        Process p = running.get(name);
        return p != null && p.isAlive();
    }

    synchronized long pid(String name) {
        Process p = running.get(name);
        return p == null ? -1 : p.pid();
    }

    Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    /** Stops everything, the last defined first (clients before the API server). */
    synchronized void stopAll() throws InterruptedException {
        List<String> names = names();
        for (int i = names.size() - 1; i >= 0; i--) {
            Process p = running.get(names.get(i));
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            stop(names.get(i));
        }
    }
}
