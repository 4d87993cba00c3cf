package io.kplane.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Data-driven interaction tests in the style of etcd-io/raft's testdata: each file under
 * {@code src/test/resources/io/kplane/raft/interaction} is a script of {@code > command} lines, each followed by
 * its expected output. Run with {@code -Draft.rewrite=true} to regenerate the expected output (then review the
 * diff).
 */
class InteractionTest {

    private static final Path DIR = Path.of("src/test/resources/io/kplane/raft/interaction");

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runScript(f)));
    }

    static void runScript(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        InteractionEnv env = new InteractionEnv();
        StringBuilder expected = new StringBuilder();
        StringBuilder actual = new StringBuilder();
        StringBuilder rewritten = new StringBuilder();
        String command = null;
        StringBuilder want = new StringBuilder();
        List<String> all = new ArrayList<>(lines);
        all.add("> END");
        for (String line : all) {
            if (line.isBlank()) continue;
            if (line.startsWith("> ") || line.startsWith("#")) {
                if (command != null) {
                    String got = env.run(command);
                    expected.append("> ").append(command).append('\n').append(want);
                    actual.append("> ").append(command).append('\n').append(got);
                    rewritten.append(got).append('\n');
                    command = null;
                    want.setLength(0);
                }
                if (line.equals("> END")) break;
                if (line.startsWith("> ")) {
                    command = line.substring(2);
                    rewritten.append(line).append('\n');
                } else {
                    rewritten.append(line).append('\n');
                }
            } else {
                want.append(line).append('\n');
            }
        }
        if (Boolean.getBoolean("raft.rewrite")) {
            Files.writeString(file, rewritten.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual.toString()).as("output of %s (rerun with -Draft.rewrite=true to regenerate)", file)
                .isEqualTo(expected.toString());
    }
}
