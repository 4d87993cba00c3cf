package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CI must run exactly the test command README.md gives a new user; this pins the two together.
 * (It lives in the first module of the build so that a drift fails fast.)
 */
class ReadmeCommandsTest {

    private static final String TEST_COMMAND = "mvn -B -ntp verify";

    @Test
    void readmeAndCiRunTheSameTestCommand() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String ci = Files.readString(root.resolve(".ci/run"));
        assertThat(readme).contains("\n" + TEST_COMMAND + " ");
        assertThat(ci.lines().filter(l -> l.strip().equals(TEST_COMMAND))).hasSize(1);
    }

    @Test
    void readmeNamesTheMainJob() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        assertThat(readme).contains("./kplane suite --quick");
    }
}
