package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.Eventually;
import io.kplane.server.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kplane up}'s child processes: one that dies by itself is reported on up's output (else
 * the cluster runs on quietly without it); one stopped or killed through up's commands is not.
 */
class LocalComponentsTest {

    @Test
    void aComponentThatExitsByItselfIsReportedOneStoppedOrKilledIsNot(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LocalComponents c = new LocalComponents(dir, out);
        List<String> jvm = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1");
        c.define("broken", jvm, List.of("no-such-command"));   // picocli: usage error, exit code 2
        c.define("stopped", jvm, apiserver(dir.resolve("a")));
        c.define("killed", jvm, apiserver(dir.resolve("b")));
        try {
            assertThat(c.start("broken")).isNull();
            assertThat(c.start("stopped")).isNull();
            assertThat(c.start("killed")).isNull();
            Eventually.until("the broken one reported", () -> bytes.toString(StandardCharsets.UTF_8)
                    .contains("up: broken exited by itself (code 2)"));
            assertThat(c.alive("broken")).isFalse();
            Eventually.until("both servers running", () -> c.alive("stopped") && c.alive("killed"));
            assertThat(c.stop("stopped")).isNull();
            assertThat(c.kill("killed")).isNull();
            Thread.sleep(500);   // give a (wrong) exit notice time to appear
            assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("stopped exited").doesNotContain("killed exited");
        } finally {
            c.stopAll();
        }
    }

    /** A long-running component: an API server on its own store, port and kubeconfig. */
    private static List<String> apiserver(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        return List.of("apiserver", "--store", "embedded", "--listen", "127.0.0.1:" + ChildJvm.freePort(),
                "--kubeconfig", dir.resolve("kubeconfig").toString());
    }
}
