package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlcRunnerTest {

    static final Path TLA = Path.of("").toAbsolutePath();

    record Run(int exit, String out) {}

    static Run run(Map<String, String> env, String which) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new TlcRunner(TLA, env, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(which);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheJarItSaysPlainlyThatTlcIsNotInstalledAndFails() throws Exception {
        Run r = run(Map.of(), "all");
        assertThat(r.exit()).isEqualTo(TlcRunner.EXIT_TLC_MISSING);
        assertThat(r.out()).contains("TLC is not installed").contains("TLA2TOOLS_JAR")
                .contains("Nothing was model-checked by TLC");
        assertThat(run(Map.of("TLA2TOOLS_JAR", "/nonexistent/tla2tools.jar"), "raft").out()).contains("does not exist");
    }

    @Test
    void withAJarItRunsTlcOnEachModelWithItsConfig() throws Exception {
        // target/test-classes holds a stand-in tlc2.TLC that echoes its arguments.
        Run r = run(Map.of("TLA2TOOLS_JAR", TLA.resolve("target/test-classes").toString()), "all");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("FAKE-TLC args: -workers auto -deadlock -metadir")
                .contains("-config MCRaft.cfg MCRaft.tla")
                .contains("-config MCRaftLiveness.cfg MCRaft.tla")
                .contains("-config MCLeaseElection.cfg MCLeaseElection.tla")
                .contains("-config MCWatch.cfg MCWatch.tla")
                .doesNotContain("MCLeaseElectionDrift.tla");
    }

    @Test
    void theDriftModelIsExpectedToFail() throws Exception {
        Run r = run(Map.of("TLA2TOOLS_JAR", TLA.resolve("target/test-classes").toString()), "election-drift");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("exit 12 (as expected)");
    }
}
