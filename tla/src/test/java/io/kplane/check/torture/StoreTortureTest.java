package io.kplane.check.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bounded runs of {@code kplane torture store}: 3 members, 20 s, a few nemeses, on kplane and on
 * real etcd 3.4 — both must report 0 anomalies with faults actually injected and healed — and a
 * run with an injected anomaly that the checks must report.
 */
class StoreTortureTest {

    record Run(int exit, String err, JsonNode result) {
    }

    private static Run torture(Path out, String... args) throws Exception {
        assumeTrue(Sandbox.unavailable() == null, () -> "no fault sandbox here: " + Sandbox.unavailable());
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cmd = new CommandLine(new StoreTortureCommand());
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cmd.execute(all.toArray(String[]::new));
        Path result = out.resolve("result.json");
        JsonNode json = Files.exists(result) ? new ObjectMapper().readTree(result.toFile()) : null;
        return new Run(exit, err.toString(StandardCharsets.UTF_8), json);
    }

    private static void assertClean(Run r, int minFaults) {
        assertThat(r.result()).as("result.json written; stderr: " + r.err()).isNotNull();
        JsonNode j = r.result();
        assertThat(j.get("anomalies").asInt()).as(j.get("anomaly_list").toPrettyString()).isZero();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(j.at("/operations/ok").asLong()).isGreaterThan(50);
        assertThat(j.at("/operations/acknowledged_writes").asLong()).isGreaterThan(10);
        assertThat(j.at("/linearizability/keys").asInt()).isEqualTo(5);
        assertThat(j.at("/linearizability/linearizable").asInt()).isEqualTo(5);
        assertThat(j.at("/watch/caught_up").asBoolean()).isTrue();
        assertThat(j.at("/watch/reference_events").asLong()).isGreaterThanOrEqualTo(j.at("/operations/acknowledged_writes").asLong());
        JsonNode log = j.at("/faults/log");
        List<String> healed = new ArrayList<>();
        log.forEach(f -> {
            if (f.get("outcome").asText().equals("healed")) {
                healed.add(f.get("fault").asText());
            }
        });
        assertThat(healed).as(log.toPrettyString()).hasSizeGreaterThanOrEqualTo(minFaults);
        assertThat(j.at("/latency_ms/read/p99").asDouble()).isPositive();
    }

    @Test
    void kplaneUnderKillsPartitionsAndPausesLosesNothing(@TempDir Path dir) throws Exception {
        Run r = torture(dir, "--target", "kplane", "--duration", "20s", "--seed", "1",
                "--nemesis", "kill-leader,partition-leader,pause-follower,disk-full,member-replace");
        assertClean(r, 2);
    }

    @Test
    void etcdUnderTheSameFaultsLosesNothing(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("etcd"), "etcd 3.4 is not installed");
        Run r = torture(dir, "--target", "etcd", "--duration", "20s", "--seed", "1",
                "--nemesis", "kill-leader,partition-leader,pause-follower,member-replace");
        assertClean(r, 2);
    }

    @Test
    void anInjectedAcknowledgementThatNeverHappenedIsReported(@TempDir Path dir) throws Exception {
        Run r = torture(dir, "--target", "kplane", "--duration", "3s", "--nemesis", "none", "--inject-anomaly");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        List<String> kinds = new ArrayList<>();
        r.result().get("anomaly_list").forEach(a -> kinds.add(a.get("kind").asText()));
        assertThat(kinds).contains("lost-write", "not-linearizable");
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        CommandLine cmd = new CommandLine(new StoreTortureCommand());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        assertThat(cmd.execute("--members", "4", "--out", dir.toString())).isEqualTo(2);
        assertThat(cmd.execute("--nemesis", "meteor", "--out", dir.toString())).isEqualTo(2);
        assertThat(cmd.execute("--duration", "soon", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--members must be 3 or 5",
                "unknown nemesis 'meteor'", "--duration: cannot read 'soon'");
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
