package io.kplane.check.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.election.ElectionTiming;
import io.kplane.election.LeaseElector;
import io.kplane.election.LeaseRecord;
import io.kplane.election.LeaseWrite;
import io.kplane.election.ObservedLease;
import org.junit.jupiter.api.Test;

/** Each injected elector bug does what its name says on a single elector, before the checker hunts for it. */
class ElectorMutationTest {

    static final ElectionTiming T = new ElectionTiming(15, 10, 2);

    private static LeaseElector leaderAt(long now, ElectorMutation mutation) {
        LeaseElector a = new LeaseElector("a", T, now, mutation.rules());
        LeaseWrite w = a.onRead(null, now);
        a.onWriteResult(new ObservedLease(w.record(), "1"), now);
        return a;
    }

    @Test
    void theRenewAfterDeadlineMutationKeepsBelievingPastTheDeadline() {
        assertThat(leaderAt(0, ElectorMutation.RENEW_AFTER_DEADLINE).isLeader(1_000)).isTrue();
        assertThat(leaderAt(0, ElectorMutation.NONE).isLeader(1_000)).isFalse();
    }

    @Test
    void theRenewAfterDeadlineMutationStopsOnlyWhenItReadsAnotherHolder() {
        LeaseElector buggy = leaderAt(0, ElectorMutation.RENEW_AFTER_DEADLINE);
        ObservedLease heldByB = new ObservedLease(new LeaseRecord("b", 15, 50, 50, 1), "2");
        assertThat(buggy.onRead(heldByB, 50)).isNull();
        assertThat(buggy.isLeader(50)).isFalse();
    }
}
