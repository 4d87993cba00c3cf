package io.kplane.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs JMH in a child JVM on the class path of {@code benchmarks.jar} (where JMH's generated
 * benchmark list lives), with the project's JVM flags for the host and, through
 * {@code -jvmArgsAppend}, for every fork. The full log goes to a file; the terminal gets JMH's own
 * progress lines ("# Run progress: ... ETA") and the results.
 */
public final class JmhRun {

    private static final String FLAGS_RESOURCE = "io/kplane/cli/jvm.flags";

    private JmhRun() {}

    /** The project's JVM flags (DESIGN.md §6), read from the filtered resource the build writes. */
    public static List<String> jvmFlags() {
        try (InputStream in = JmhRun.class.getClassLoader().getResourceAsStream(FLAGS_RESOURCE)) {
            if (in == null) {
                return List.of();
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (text.isEmpty() || text.contains("${")) {
                return List.of(); // unfiltered copy: the build did not run the resources phase
            }
            return List.of(text.split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** benchmarks.jar when running from it, else this JVM's class path (tests, IDE). */
    static String classPath() {
        try {
            Path self = Path.of(JmhRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (self.getFileName().toString().equals("benchmarks.jar")) {
                return self.toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the JVM's own class path
        }
        return System.getProperty("java.class.path");
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The benchmarks JMH knows about (its {@code -l} list), filtered by the regexes if any. */
    public static List<String> list(List<String> includes) throws IOException, InterruptedException {
        return new ArrayList<>(listWithParameterCombinations(includes).keySet());
    }

    /**
     * The benchmarks (JMH {@code -lp}) with how many parameter combinations each one runs, which
     * is what its run time is proportional to.
     */
    public static Map<String, Integer> listWithParameterCombinations(List<String> includes)
            throws IOException, InterruptedException {
        List<String> cmd = baseCommand();
        cmd.add("-lp");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, Integer> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            boolean inList = false;
            String current = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("Benchmarks:")) {
                    inList = true;
                } else if (inList && line.startsWith("  param ") && current != null) {
                    String values = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}')).trim();
                    int n = values.isEmpty() ? 1 : values.split(", ").length;
                    out.merge(current, n, (a, b) -> a * b);
                } else if (inList && !line.isBlank()) {
                    current = line.trim();
                    out.put(current, 1);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("JMH -lp failed with exit code " + p.exitValue());
        }
        if (includes.isEmpty()) {
            return out;
        }
        List<Pattern> ps = includes.stream().map(Pattern::compile).toList();
        Map<String, Integer> filtered = new LinkedHashMap<>();
        out.forEach((n, c) -> {
            if (ps.stream().anyMatch(pt -> pt.matcher(n).find())) {
                filtered.put(n, c);
            }
        });
        return filtered;
    }

    /**
     * Runs the benchmarks matching {@code includes} (all when empty) and writes
     * {@code jmh-<name>.json} and {@code jmh-<name>.log} into {@code dir}.
     *
     * @return the JSON result file, or empty when JMH failed (the log says why)
     */
    public static Optional<Path> run(Path dir, String name, List<String> includes, JmhSettings s, List<String> extraArgs,
                                     PrintStream progress) throws IOException, InterruptedException {
        // JMH refuses to start while another JMH run holds /tmp/jmh.lock (their numbers would
        // disturb each other). Wait for it a while rather than fail the suite.
        for (int attempt = 0; ; attempt++) {
            Optional<Path> r = runOnce(dir, name, includes, s, extraArgs, progress);
            Path log = dir.resolve("jmh-" + name + ".log");
            if (r.isPresent() || attempt >= 12 || !Files.readString(log).contains("Unable to acquire the JMH lock")) {
                return r;
            }
            progress.println("  jmh: another JMH run holds /tmp/jmh.lock; waiting 10 s (" + (attempt + 1) + "/12)");
            Thread.sleep(10_000);
        }
    }

    private static Optional<Path> runOnce(Path dir, String name, List<String> includes, JmhSettings s,
                                          List<String> extraArgs, PrintStream progress)
            throws IOException, InterruptedException {
        Path json = dir.resolve("jmh-" + name + ".json");
        Path log = dir.resolve("jmh-" + name + ".log");
        List<String> cmd = baseCommand();
        cmd.addAll(includes);
        cmd.addAll(List.of("-f", String.valueOf(s.forks()), "-wi", String.valueOf(s.warmupIterations()),
                "-w", s.warmupTime(), "-i", String.valueOf(s.iterations()), "-r", s.iterationTime(),
                "-rf", "json", "-rff", json.toString(), "-foe", "false"));
        List<String> flags = jvmFlags();
        if (!flags.isEmpty()) {
            cmd.add("-jvmArgsAppend");
            cmd.add(String.join(" ", flags));
        }
        for (String prof : s.profilers()) {
            cmd.addAll(List.of("-prof", prof));
        }
        cmd.addAll(extraArgs);
        progress.println("  jmh: " + String.join(" ", cmd.subList(cmd.indexOf("org.openjdk.jmh.Main"), cmd.size())));
        progress.println("  jmh: full log in " + log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            boolean table = false;
            for (String line; (line = r.readLine()) != null; ) {
                w.println(line);
                if (line.startsWith("Benchmark ") && line.contains("Score")) {
                    table = true;
                }
                if (table || line.startsWith("# Run progress") || line.startsWith("# Benchmark:")
                        || line.startsWith("# Parameters") || line.startsWith("Result \"") || line.contains("ERROR")
                        || line.startsWith("<failure>") || line.startsWith("No matching benchmarks")) {
                    progress.println("  " + line);
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || !Files.isRegularFile(json) || Files.size(json) == 0) {
            progress.println("  jmh: exit code " + code + "; see " + log);
            return Optional.empty();
        }
        return Optional.of(json);
    }

    private static List<String> baseCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmFlags());
        if (Boolean.getBoolean("kplane.jmh.ignoreLock")) {
            cmd.add("-Djmh.ignoreLock=true"); // tests that only check the mechanics, not the numbers
        }
        cmd.addAll(List.of("-cp", classPath(), "org.openjdk.jmh.Main"));
        return cmd;
    }
}
