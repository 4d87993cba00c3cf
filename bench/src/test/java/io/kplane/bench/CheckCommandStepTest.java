package io.kplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.reports.AreaResult;
import io.kplane.reports.Headline;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckCommandStepTest {

    private static final List<String> PASS = List.of(
            "== election: 2 candidates, leaseDuration=8 ticks, maxSkew=1",
            "  states generated : 31,999",
            "  distinct states  : 7,757",
            "  max depth        : 28",
            "  elapsed          : 1.37 s",
            "  search           : exhaustive (every reachable state within the bounds)",
            "  AtMostOneLeader              holds (checked on 7,757 states)");

    @Test
    void passingChecksBecomeHeadlinesAndInvariantNotes() {
        AreaResult r = CheckCommandStep.parse(PASS, "model checks", 3, 0, Duration.ofMinutes(4));
        assertThat(r.status()).isEqualTo(AreaResult.Status.OK);
        assertThat(r.message()).contains("no violation", "1 invariant holds");
        assertThat(r.headlines()).extracting(Headline::metric, Headline::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("election: distinct states explored", 7757.0));
        assertThat(r.headlines().get(0).note()).contains("exhaustive", "1.4 s");
        assertThat(r.notes()).anyMatch(n -> n.contains("AtMostOneLeader holds"));
    }

    @Test
    void aViolationOrAKillOrABadExitIsFailed() {
        List<String> violated = new java.util.ArrayList<>(PASS.subList(0, 6));
        violated.add("  AtMostOneLeader              VIOLATED");
        AreaResult v = CheckCommandStep.parse(violated, "model checks", 3, 1, Duration.ofMinutes(4));
        assertThat(v.status()).isEqualTo(AreaResult.Status.FAILED);
        assertThat(v.message()).contains("VIOLATED: AtMostOneLeader");

        AreaResult killed = CheckCommandStep.parse(PASS.subList(0, 2), "model checks", 240, -1, Duration.ofMinutes(4));
        assertThat(killed.status()).isEqualTo(AreaResult.Status.FAILED);
        assertThat(killed.message()).contains("did not finish within 240 s");

        AreaResult usage = CheckCommandStep.parse(List.of("Unknown option: '--max-states'"), "model checks", 1, 2,
                Duration.ofMinutes(4));
        assertThat(usage.status()).isEqualTo(AreaResult.Status.FAILED);
        assertThat(usage.message()).contains("exited with 2", "Unknown option");
    }
}
