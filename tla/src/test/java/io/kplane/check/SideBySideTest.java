package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.tlc.TlcOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void eachModelRowShowsTheExplorerBesideTlc() {
        ExplorationResult watch = new ExplorationResult("watch", "b", new ExplorationStats(500, 200, 17, 2_000_000_000L),
                List.of(), null, true, false, false, 7, java.util.Map.of("Deliver", 300L),
                List.of(new ExplorationResult.BehaviourResult("Lapped", 12)));
        TlcOutcome tlcWatch = TlcOutcome.parse(0, List.of("Model checking completed. No error has been found.",
                "98,363 states generated, 22,630 distinct states found, 0 states left on queue.",
                "The depth of the complete state graph search is 17."), 48.1);
        TlcOutcome drift = TlcOutcome.parse(12, List.of("Error: Invariant AtMostOneLeader is violated.",
                "5,650,777 states generated, 1,795,672 distinct states found, 615,025 states left on queue."), 565);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SideBySide(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .print(Map.of("watch", watch), Map.of("watch", tlcWatch, "election-drift", drift));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).containsPattern("watch +\\| pass +200 +500 +17 +2\\.0 \\| pass +22,630 +98,363 +17 +48\\.1");
        assertThat(out).containsPattern("election-drift +\\| - .*\\| pass +1,795,672 +5,650,777");
        assertThat(out).doesNotContain("raft ");
        assertThat(out).contains("watch          pruned 7; actions: Deliver 300").contains("required: Lapped 12");
    }
}
