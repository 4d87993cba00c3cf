package io.kplane.check.history;

import static io.kplane.check.history.Operation.Outcome.INFO;
import static io.kplane.check.history.Operation.Outcome.OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryChecksTest {

    private static final List<Operation> HISTORY = List.of(
            Operation.write(1, "a", "a1", OK, 2, 0, 1),
            Operation.write(2, "b", "b1", OK, 3, 2, 3),
            Operation.cas(1, "a", "a1", "a2", true, OK, 4, 4, 5),
            Operation.write(2, "b", "b2", INFO, 0, 6, 0));

    private static final List<WatchEvent> REFERENCE = List.of(
            new WatchEvent(2, "a", false, "a1"),
            new WatchEvent(3, "b", false, "b1"),
            new WatchEvent(4, "a", false, "a2"),
            new WatchEvent(5, "b", false, "b2"));

    private static List<String> kinds(List<Anomaly> anomalies) {
        return anomalies.stream().map(Anomaly::kind).toList();
    }

    @Test
    void consistentHistoryAndStreamsPass() {
        List<WatchStream> streams = List.of(
                new WatchStream(1, 2, REFERENCE, 0),
                new WatchStream(2, 4, REFERENCE.subList(2, 4), 1),
                new WatchStream(3, 2, REFERENCE.subList(0, 2), 0)); // stopped early: fine
        assertThat(HistoryChecks.check(HISTORY, REFERENCE, streams)).isEmpty();
    }

    @Test
    void acknowledgedWriteMissingFromTheStoreIsLost() {
        List<WatchEvent> lost = List.of(REFERENCE.get(0), REFERENCE.get(1), REFERENCE.get(3));
        assertThat(kinds(HistoryChecks.check(HISTORY, lost, List.of()))).containsExactly("lost-write");
    }

    @Test
    void acknowledgedWriteAtAnotherRevisionIsReported() {
        List<WatchEvent> moved = List.of(REFERENCE.get(0), REFERENCE.get(1),
                new WatchEvent(5, "a", false, "a2"), new WatchEvent(6, "b", false, "b2"));
        assertThat(HistoryChecks.check(HISTORY, moved, List.of()))
                .extracting(Anomaly::kind).containsExactly("lost-write");
    }

    @Test
    void valueNobodyWroteIsAPhantom() {
        List<WatchEvent> ref = List.of(REFERENCE.get(0), REFERENCE.get(1), REFERENCE.get(2),
                new WatchEvent(5, "b", false, "zz"));
        assertThat(kinds(HistoryChecks.check(HISTORY, ref, List.of()))).containsExactly("phantom-write");
    }

    @Test
    void writeAppliedTwiceIsADuplicate() {
        List<WatchEvent> ref = List.of(REFERENCE.get(0), REFERENCE.get(1), REFERENCE.get(2), REFERENCE.get(3),
                new WatchEvent(6, "b", false, "b2"));
        assertThat(kinds(HistoryChecks.check(HISTORY, ref, List.of()))).containsExactly("duplicate-write");
    }

    @Test
    void laterWriteWithSmallerRevisionBreaksRevisionOrder() {
        List<Operation> h = List.of(
                Operation.write(1, "a", "a1", OK, 5, 0, 1),
                Operation.write(2, "b", "b1", OK, 4, 2, 3));
        List<WatchEvent> ref = List.of(new WatchEvent(4, "b", false, "b1"), new WatchEvent(5, "a", false, "a1"));
        assertThat(kinds(HistoryChecks.check(h, ref, List.of()))).containsExactly("revision-order");
    }

    @Test
    void watchStreamMissingAnEventHasAGap() {
        List<WatchEvent> got = List.of(REFERENCE.get(0), REFERENCE.get(2), REFERENCE.get(3));
        assertThat(kinds(HistoryChecks.check(HISTORY, REFERENCE, List.of(new WatchStream(1, 2, got, 1)))))
                .containsExactly("watch-gap");
    }

    @Test
    void watchStreamRepeatingAnEventHasADuplicate() {
        List<WatchEvent> got = List.of(REFERENCE.get(0), REFERENCE.get(1), REFERENCE.get(1), REFERENCE.get(2));
        assertThat(kinds(HistoryChecks.check(HISTORY, REFERENCE, List.of(new WatchStream(1, 2, got, 1)))))
                .containsExactly("watch-duplicate");
    }

    @Test
    void watchStreamOutOfOrderIsReported() {
        List<WatchEvent> got = List.of(REFERENCE.get(0), REFERENCE.get(2), REFERENCE.get(1), REFERENCE.get(3));
        assertThat(HistoryChecks.check(HISTORY, REFERENCE, List.of(new WatchStream(1, 2, got, 0))))
                .extracting(Anomaly::kind).containsAnyOf("watch-gap", "watch-order").hasSize(1);
    }

    @Test
    void watchStreamWithAWrongValueIsAMismatch() {
        List<WatchEvent> got = List.of(REFERENCE.get(0), new WatchEvent(3, "b", false, "other"));
        assertThat(kinds(HistoryChecks.check(HISTORY, REFERENCE, List.of(new WatchStream(1, 2, got, 0)))))
                .containsExactly("watch-mismatch");
    }

    @Test
    void referenceGoingBackIsReported() {
        List<WatchEvent> ref = List.of(REFERENCE.get(0), REFERENCE.get(2), REFERENCE.get(1), REFERENCE.get(3));
        assertThat(kinds(HistoryChecks.check(HISTORY, ref, List.of()))).contains("reference-order");
    }
}
