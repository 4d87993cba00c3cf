package io.kplane.check.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A scratch copy of {@code tla/} for a test: every .tla and .cfg, so that a test can write model
 * configurations with smaller bounds (or a deliberate bug) beside the modules without touching
 * the tree.
 */
final class TlaWorkspace {

    static final Path TLA = Path.of("").toAbsolutePath();

    private TlaWorkspace() {}

    static Path copy(Path into) throws IOException {
        try (Stream<Path> s = Files.list(TLA)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tla") || f.toString().endsWith(".cfg")).toList()) {
                Files.copy(p, into.resolve(p.getFileName()));
            }
        }
        return into;
    }

    /** Every module in tla/ (names without .tla). */
    static List<String> modules() throws IOException {
        try (Stream<Path> s = Files.list(TLA)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tla"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /**
     * Writes {@code name} as a copy of {@code config} with some constants replaced; each must be
     * assigned in the original (so that a renamed constant fails the test instead of being ignored).
     */
    static String derive(Path dir, String config, String name, Map<String, String> constants) throws IOException {
        String text = Files.readString(dir.resolve(config));
        for (Map.Entry<String, String> c : constants.entrySet()) {
            String pattern = "(?m)^(\\s+" + c.getKey() + "\\s*=\\s*).*$";
            if (!java.util.regex.Pattern.compile(pattern).matcher(text).find()) {
                throw new IllegalArgumentException(config + " does not assign " + c.getKey());
            }
            text = text.replaceAll(pattern, "$1" + java.util.regex.Matcher.quoteReplacement(c.getValue()));
        }
        Files.writeString(dir.resolve(name), text);
        return name;
    }
}
