package io.kplane.check;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs TLC on the specs in {@code tla/} when the user supplies {@code tla2tools.jar}.
 *
 * <p>TLC is not published to the package registries this project builds from, so it is never
 * downloaded: with {@code TLA2TOOLS_JAR} unset (or pointing nowhere) this says so and returns
 * {@link #EXIT_TLC_MISSING}, without pretending anything was checked.
 */
public final class TlcRunner {

    /** Exit code when TLC is not available. */
    public static final int EXIT_TLC_MISSING = 3;

    static final String HOW_TO_GET_TLC = """
            TLC is not installed: set TLA2TOOLS_JAR to the path of tla2tools.jar.
              TLC is not served by Maven Central, Debian or npm, so kplane cannot fetch it on these machines.
              On a machine with internet access, download tla2tools.jar from the TLA+ project's GitHub releases
              (github.com/tlaplus/tlaplus/releases), copy it here and run:
                TLA2TOOLS_JAR=/path/to/tla2tools.jar ./kplane check --tlc [raft|raft-liveness|election|election-drift|watch|trace|all]
              The trace model also needs the CommunityModules jar (Json, IOUtils): TLA_COMMUNITY_MODULES_JAR=/path/to/CommunityModules-deps.jar
            Nothing was model-checked by TLC in this run. What does run here: the TLA+ parser test
            (tla/tools/parse-tla.mjs, a tree-sitter parser, not SANY) and the implementation explorer (kplane check).""";

    private final Path tlaDir;
    private final Map<String, String> env;
    private final PrintStream out;

    public TlcRunner(Path tlaDir, Map<String, String> env, PrintStream out) {
        this.tlaDir = tlaDir;
        this.env = env;
        this.out = out;
    }

    /** Runs the named model ("all": every model not built to fail). Returns a process exit code. */
    public int run(String which) throws Exception {
        String jar = env.get("TLA2TOOLS_JAR");
        if (jar == null || jar.isBlank() || !Files.exists(Path.of(jar))) {
            out.println(jar == null || jar.isBlank() ? HOW_TO_GET_TLC
                    : "TLA2TOOLS_JAR=" + jar + " does not exist.\n" + HOW_TO_GET_TLC);
            return EXIT_TLC_MISSING;
        }
        List<TlcModel> models = new ArrayList<>();
        if (which.equals("all")) {
            TlcModel.ALL.stream().filter(m -> !m.expectViolation() && !m.needsCommunityModules()).forEach(models::add);
        } else {
            models.add(TlcModel.named(which).orElseThrow(() -> new IllegalArgumentException(
                    "unknown TLC model '" + which + "'; known: " + TlcModel.ALL.stream().map(TlcModel::name).toList())));
        }
        int worst = 0;
        for (TlcModel m : models) {
            int code = runOne(m, jar);
            boolean ok = m.expectViolation() ? code != 0 : code == 0;
            out.println("== TLC " + m.name() + ": exit " + code + (ok ? " (as expected)" : " (FAILED)"));
            if (!ok) {
                worst = 1;
            }
        }
        return worst;
    }

    private int runOne(TlcModel m, String jar) throws Exception {
        String cp = jar;
        String community = env.get("TLA_COMMUNITY_MODULES_JAR");
        if (m.needsCommunityModules() && community != null) {
            cp = cp + File.pathSeparator + community;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-XX:+UseParallelGC", "-cp", cp, "tlc2.TLC",
                "-workers", "auto", "-deadlock", "-metadir", tlaDir.resolve("target/tlc-states/" + m.name()).toString(),
                "-config", m.config(), m.module() + ".tla");
        out.println("== TLC " + m.name() + ": " + String.join(" ", cmd));
        out.flush();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tlaDir.toFile()).redirectErrorStream(true);
        if (env.containsKey("TRACE")) {
            pb.environment().put("TRACE", env.get("TRACE"));
        }
        Process p = pb.start();
        try (var in = p.getInputStream()) {
            in.transferTo(out);
        }
        return p.waitFor();
    }
}
