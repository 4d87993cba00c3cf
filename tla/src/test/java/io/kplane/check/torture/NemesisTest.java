package io.kplane.check.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.Test;

class NemesisTest {

    /** {@code --nemesis none}: the nemesis thread injects nothing and ends without an exception. */
    @Test
    void anEmptyFaultListInjectsNothingAndEndsQuietly() {
        // No members: with no faults the nemesis never touches them; only its final heal would
        // (and it records a failed heal instead of throwing).
        Nemesis nemesis = new Nemesis(null, null, List.of(), 7, () -> 0L);
        nemesis.stop();
        assertThatCode(nemesis::run).doesNotThrowAnyException();
        assertThat(nemesis.injected()).isEmpty();
        assertThat(nemesis.current()).isEqualTo("none");
    }
}
