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
 * Runs the jcstress tests of this package in a short "sanity" pass (a forked JVM, well under a
 * minute) so that `mvn verify` exercises them. The full run is
 * {@code java -cp <impl test class path> org.openjdk.jcstress.Main -t io.kplane -m default}
 * (see tla/README.md).
 */
class JcstressSmokeTest {

    @Test
    void publicationContractHoldsInAShortJcstressPass() throws Exception {
        Path results = Files.createDirectories(Path.of("target", "jcstress").toAbsolutePath());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main", "-t", "io.kplane.fanout.jcstress.EventLogPublicationStress",
                "-m", "sanity", "-r", results.toString()));
        Process p = new ProcessBuilder(cmd).directory(results.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).as(text).contains("EventLogPublicationStress").doesNotContain("FAILED");
    }
}
