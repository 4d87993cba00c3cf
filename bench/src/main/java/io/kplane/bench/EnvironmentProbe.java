package io.kplane.bench;

import io.kplane.reports.RunFiles;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine a run happened on ({@code env.json}): CPU model, cores, memory, load,
 * OS, JVM version and flags, git commit, date. Results mean little without it.
 */
public final class EnvironmentProbe {

    private EnvironmentProbe() {}

    /** Collects the description; values that cannot be read are "unknown". */
    public static Map<String, Object> describe(Path projectRoot) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        env.put("loadAverage", read(Path.of("/proc/loadavg")).split(" (?=\\d+/)")[0]);
        env.put("os", osName());
        env.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("jvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        env.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
        env.put("etcd", etcdVersion());
        env.put("gitCommit", git(projectRoot, "rev-parse", "HEAD"));
        String dirty = git(projectRoot, "status", "--porcelain", "--untracked-files=no");
        env.put("gitDirty", !dirty.isEmpty() && !"unknown".equals(dirty));
        return env;
    }

    /** Writes {@code env.json} into {@code runDir}. */
    public static void write(Path runDir, Path projectRoot) {
        RunFiles.write(runDir.resolve(RunFiles.ENV), describe(projectRoot));
    }

    private static String osName() {
        for (String line : read(Path.of("/etc/os-release")).split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return System.getProperty("os.name");
    }

    private static String firstValue(Path file, String key) {
        for (String line : read(file).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** etcd's version line when it is on PATH (the peer of the store and watch areas), else how to install it. */
    static String etcdVersion() {
        java.util.Optional<Path> etcd = RunContext.findExecutable("etcd");
        if (etcd.isEmpty()) {
            return "not installed (" + io.kplane.reports.Anchors.ETCD_INSTALL + ")";
        }
        try {
            Process p = new ProcessBuilder(etcd.get().toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            return out.lines().findFirst().orElse(etcd.get().toString()).trim();
        } catch (java.io.IOException e) {
            return etcd.get() + " (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return etcd.get().toString();
        }
    }

    private static String git(Path root, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
