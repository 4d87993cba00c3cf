package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses every {@code tla/*.tla} with the official TLA+ tree-sitter grammar (npm
 * {@code @tlaplus/tree-sitter-tlaplus}, run through {@code web-tree-sitter} in Node).
 *
 * <p>This is a syntax check only: not SANY's semantic analysis (unknown identifiers, arity) and
 * not TLC. It is skipped only when {@code node} is not installed; a missing {@code node_modules}
 * is installed with {@code .ci/setup.d/20-tla-parser.sh}.
 */
class TlaSpecsParseTest {

    static final Path TLA_DIR = Path.of("").toAbsolutePath();

    @BeforeAll
    static void parserInstalled() throws Exception {
        assumeTrue(onPath("node"), "node is not installed: skipping the TLA+ parse test "
                + "(install nodejs + npm, then run .ci/setup.d/20-tla-parser.sh)");
        Path wasm = TLA_DIR.resolve("node_modules/@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm");
        if (!Files.exists(wasm)) {
            Result r = run(List.of("bash", TLA_DIR.resolve("../.ci/setup.d/20-tla-parser.sh").toString()));
            assertThat(Files.exists(wasm))
                    .as("TLA+ parser missing and .ci/setup.d/20-tla-parser.sh could not install it:%n%s", r.output)
                    .isTrue();
        }
    }

    @Test
    void everySpecInTheTlaDirectoryParsesCleanly() throws Exception {
        List<Path> specs = specs();
        assertThat(specs).extracting(p -> p.getFileName().toString())
                .contains("Raft.tla", "LeaseElection.tla", "Watch.tla", "TraceRaft.tla",
                        "MCRaft.tla", "MCLeaseElection.tla", "MCWatch.tla");
        List<String> cmd = new ArrayList<>(List.of("node", "tools/parse-tla.mjs"));
        specs.forEach(p -> cmd.add(p.toString()));
        Result r = run(cmd);
        assertThat(r.exit).as("parser output:%n%s", r.output).isZero();
        assertThat(r.output.lines().filter(l -> l.startsWith("OK "))).hasSize(specs.size());
    }

    @Test
    void aMalformedSpecIsRejectedWithItsLine() throws Exception {
        Path broken = Path.of("src/test/resources/malformed/Broken.tla").toAbsolutePath();
        Result r = run(List.of("node", "tools/parse-tla.mjs", broken.toString()));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("ERROR " + broken + ":6:");
    }

    static List<Path> specs() throws IOException {
        try (Stream<Path> s = Files.list(TLA_DIR)) {
            return s.filter(p -> p.toString().endsWith(".tla")).sorted().toList();
        }
    }

    record Result(int exit, String output) {}

    static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(TLA_DIR.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s timed out", cmd).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean onPath(String exe) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
