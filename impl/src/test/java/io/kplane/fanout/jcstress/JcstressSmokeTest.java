package io.kplane.fanout.jcstress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs every jcstress test of the project ({@code io.kplane.*.jcstress.*}) in one short "sanity"
 * pass (one forked JVM, well under a minute) so that `mvn verify` exercises them. The full run is
 * {@code java -cp <impl test class path> org.openjdk.jcstress.Main -t 'io\.kplane\..*' -m default}
 * (see tla/README.md, "Lock-free structures and their tests").
 */
class JcstressSmokeTest {

    /** Every @JCStressTest of the project; each must show up in the run and pass. */
    static final List<String> TESTS = List.of(
            "io.kplane.fanout.jcstress.EventLogPublicationStress",
            "io.kplane.fanout.jcstress.EventLogOverwriteStress",
            "io.kplane.apiserver.jcstress.EventWindowResizeStress",
            "io.kplane.kv.jcstress.PublishedRevisionStress",
            "io.kplane.kv.jcstress.RevisionEventsSharingStress",
            "io.kplane.kv.jcstress.SubscribeStress",
            "io.kplane.kv.jcstress.SnapshotCaptureStress.Writes",
            "io.kplane.kv.jcstress.SnapshotCaptureStress.Compaction",
            "io.kplane.proxy.jcstress.HistogramSnapshotStress");

    @Test
    void memoryOrderingContractsHoldInAShortJcstressPass() throws Exception {
        Path results = Files.createDirectories(Path.of("target", "jcstress").toAbsolutePath());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main", "-t", "io\\.kplane\\..*\\.jcstress\\..*",
                // One JVM configuration (no flag probing, no split compilation), one fork, one
                // half-second iteration per test: hundreds of thousands of samples each.
                "-jvmArgs", "-Xmx256m", "-sc", "false", "-f", "1", "-iters", "1", "-time", "500",
                "-v", "-r", results.toString()));
        Process p = new ProcessBuilder(cmd).directory(results.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        Files.writeString(results.resolve("smoke-output.txt"), text);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).as(text).doesNotContain("FAILED").doesNotContain("ERROR");
        for (String test : TESTS) {
            assertThat(text).as("%s ran", test).contains(test);
        }
    }
}
