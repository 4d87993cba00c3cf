package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kplane.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kplane scheduler simulate} on the fixture of SimulationTest, as text and as JSON. */
class SchedulerCommandTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path fixture() throws Exception {
        Path p = dir.resolve("cluster.yaml");
        try (var in = getClass().getResourceAsStream("/io/kplane/scheduler/simulate.yaml")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @Test
    void printsVerdictsScoresTotalsAndVictims() throws Exception {
        Run r = run("scheduler", "simulate", "--objects", fixture().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "pod default/web-1 (priority 0): scheduled on node-a",
                "node-c           TaintToleration: node(s) had untolerated taint {dedicated: gpu}",
                "pod default/big (priority 1000): scheduled on node-b",
                "victims: default/low-1@node-b",
                "pod default/ssd-only (priority 0): not scheduled");
        assertThat(r.out()).containsPattern("node-a +100 +75 +100 +0 +475")
                .containsPattern("node-b +100 +49 +87 +0 +436");
        assertThat(r.err()).contains("3 nodes, 1 bound pods, 3 pending pods, 1 disruption budgets");
    }

    @Test
    void jsonOutputCarriesTheSameDecisions() throws Exception {
        Run r = run("scheduler", "simulate", "--objects", fixture().toString(), "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode pods = Json.jsonMapper().readTree(r.out());
        assertThat(pods.get(0).get("node").asText()).isEqualTo("node-a");
        assertThat(pods.get(0).at("/attempts/0/scores/1/total").asLong()).isEqualTo(436);
        assertThat(pods.get(0).at("/attempts/0/scores/1/normalized/NodeResourcesFit").asLong()).isEqualTo(49);
        assertThat(pods.get(1).at("/attempts/0/victims/0").asText()).isEqualTo("default/low-1@node-b");
        assertThat(pods.get(2).path("node").asText(null)).isNull(); // not scheduled: no node field
    }

    @Test
    void badInputIsAClearErrorNotAStackTrace() throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n");
        Run r = run("scheduler", "simulate", "--objects", p.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no Node objects");
        assertThat(run("scheduler", "simulate", "--objects", dir.resolve("missing.yaml").toString()).err())
                .contains("no such file");
    }
}
