package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks each TLC configuration against its module chain, the way SANY/TLC would reject
 * it: every constant declared is given a value, every value is for a declared constant, and every
 * named SPECIFICATION/INVARIANT/PROPERTY/CONSTRAINT/SYMMETRY is defined. Also checks that the
 * explorer's invariant names are those of the specs.
 */
class TlaConfigConsistencyTest {

    static final Path TLA = Path.of("").toAbsolutePath();
    static final Pattern DEF = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(\\([^)]*\\))?\\s*==");
    static final Pattern DECL = Pattern.compile("(?m)^\\s*(CONSTANTS?|VARIABLES?)\\b");

    record Module(Set<String> constants, Set<String> definitions) {}

    static String stripComments(String s) {
        s = s.replaceAll("(?s)\\(\\*.*?\\*\\)", " ");
        return s.replaceAll("\\\\\\*[^\\n]*", " ");
    }

    static Module load(String name) throws IOException {
        Set<String> constants = new LinkedHashSet<>();
        Set<String> defs = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String m = todo.pop();
            Path p = TLA.resolve(m + ".tla");
            if (!seen.add(m) || !Files.exists(p)) {
                continue;   // standard modules (Naturals, TLC, ...) are not checked
            }
            String text = stripComments(Files.readString(p));
            Matcher ext = Pattern.compile("(?m)^EXTENDS\\s+([^\\n]+)").matcher(text);
            while (ext.find()) {
                for (String e : ext.group(1).split(",")) {
                    todo.add(e.trim());
                }
            }
            Matcher d = DEF.matcher(text);
            while (d.find()) {
                defs.add(d.group(1));
            }
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher k = DECL.matcher(lines[i]);
                if (!k.find() || !k.group(1).startsWith("CONSTANT")) {
                    continue;
                }
                StringBuilder decl = new StringBuilder(lines[i].substring(k.end()));
                while ((decl.toString().isBlank() || decl.toString().trim().endsWith(",")) && i + 1 < lines.length) {
                    decl.append(' ').append(lines[++i]);
                }
                for (String c : decl.toString().split(",")) {
                    if (!c.isBlank()) {
                        constants.add(c.trim());
                    }
                }
            }
        }
        return new Module(constants, defs);
    }

    @Test
    void everyTlcModelIsConsistentWithItsModule() throws IOException {
        for (TlcModel m : TlcModel.ALL) {
            for (String config : m.configs()) {
                Module mod = load(m.module());
                String cfg = Files.readString(TLA.resolve(config)).replaceAll("\\\\\\*[^\\n]*", "");
                Set<String> assigned = new LinkedHashSet<>();
                Matcher a = Pattern.compile("(?m)^\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*(=|<-)").matcher(cfg);
                while (a.find()) {
                    assigned.add(a.group(1));
                }
                assertThat(assigned).as("%s assigns exactly the constants of %s", config, m.module())
                        .containsExactlyInAnyOrderElementsOf(mod.constants());
                Matcher named = Pattern.compile("(?m)^(SPECIFICATION|INVARIANTS?|PROPERTY|PROPERTIES|CONSTRAINTS?|SYMMETRY|VIEW|INIT|NEXT)\\s+(\\w+)").matcher(cfg);
                int count = 0;
                while (named.find()) {
                    count++;
                    assertThat(mod.definitions()).as("%s names %s %s", config, named.group(1), named.group(2))
                            .contains(named.group(2));
                }
                assertThat(count).as("%s names something to check", config).isGreaterThanOrEqualTo(2);
            }
        }
    }

    /**
     * A .cfg that no TlcModel names would be skipped by '--tlc all' / '--tlc all --deep' (and by CI's TLC runs of
     * every model).
     */
    @Test
    void everyConfigurationInTheDirectoryIsATlcModel() throws IOException {
        List<String> configs;
        try (var files = Files.list(TLA)) {
            configs = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".cfg")).sorted().toList();
        }
        assertThat(configs).isNotEmpty();
        assertThat(TlcModel.ALL.stream().flatMap(m -> m.configs().stream()).sorted().toList())
                .as("the configs named by TlcModel.ALL").containsExactlyElementsOf(configs);
    }

    @Test
    void theExplorerUsesTheSpecsInvariantNames() throws IOException {
        assertThat(load("LeaseElection").definitions()).contains(io.kplane.check.election.ElectionModel.AT_MOST_ONE_LEADER);
        assertThat(load("Raft").definitions()).contains("ElectionSafety", "LogMatching", "LeaderCompleteness",
                "StateMachineSafety", "LeaderAppendOnly");
        assertThat(load("Watch").definitions()).contains("InOrderGapFreeNoDuplicates", "CompactedOnlyWhenGone", "ExactResume");
    }
}
