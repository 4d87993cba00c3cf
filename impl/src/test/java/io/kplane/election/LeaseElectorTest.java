package io.kplane.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.election.LeaseElector.LeadershipChange;
import org.junit.jupiter.api.Test;

class LeaseElectorTest {

    static final ElectionTiming T = new ElectionTiming(15, 10, 2);

    static ObservedLease lease(String holder, long renew, int transitions, String rv) {
        return new ObservedLease(new LeaseRecord(holder, 15, 0, renew, transitions), rv);
    }

    @Test
    void createsTheLeaseWhenItDoesNotExistAndLeadsOnSuccess() {
        LeaseElector a = new LeaseElector("a", T, 100);
        assertThat(a.readDue(100)).isTrue();
        LeaseWrite w = a.onRead(null, 100);
        assertThat(w.isCreate()).isTrue();
        assertThat(w.record()).isEqualTo(new LeaseRecord("a", 15, 100, 100, 0));
        assertThat(a.readDue(100)).as("no read while a write is outstanding").isFalse();
        assertThat(a.onWriteResult(new ObservedLease(w.record(), "1"), 101)).isEqualTo(LeadershipChange.STARTED_LEADING);
        assertThat(a.isLeader(101)).isTrue();
        assertThat(a.nextTryAt()).isEqualTo(103);
    }

    @Test
    void waitsWhileAnotherHolderIsValidJudgedByItsOwnObservationTime() {
        LeaseElector b = new LeaseElector("b", T, 1_000);
        // The record's renewTime (0) is in a's clock and means nothing to b: b first SEES it at 1000.
        assertThat(b.onRead(lease("a", 0, 0, "7"), 1_000)).isNull();
        assertThat(b.nextTryAt()).isEqualTo(1_002);
        assertThat(b.onRead(lease("a", 0, 0, "7"), 1_014)).as("unchanged for 14 < 15").isNull();
        LeaseWrite takeover = b.onRead(lease("a", 0, 0, "7"), 1_015);
        assertThat(takeover).isNotNull();
        assertThat(takeover.expectedResourceVersion()).isEqualTo("7");
        assertThat(takeover.record().holderIdentity()).isEqualTo("b");
        assertThat(takeover.record().leaseTransitions()).isEqualTo(1);
        assertThat(takeover.record().acquireTime()).isEqualTo(1_015);
    }

    @Test
    void aChangedRecordRestartsTheExpiryClock() {
        LeaseElector b = new LeaseElector("b", T, 0);
        assertThat(b.onRead(lease("a", 0, 0, "7"), 0)).isNull();
        assertThat(b.onRead(lease("a", 9, 0, "8"), 10)).as("renewed: observed at 10").isNull();
        assertThat(b.onRead(lease("a", 9, 0, "8"), 24)).isNull();
        assertThat(b.onRead(lease("a", 9, 0, "8"), 25)).isNotNull();
    }

    @Test
    void aLeaderStopsBelievingAtRetryPeriodPlusRenewDeadlineAfterItsLastSuccess() {
        LeaseElector a = leaderAt(0);
        assertThat(a.isLeader(11)).isTrue();
        assertThat(a.tick(11)).isEqualTo(LeadershipChange.NONE);
        assertThat(a.isLeader(12)).isFalse();
        assertThat(a.tick(12)).isEqualTo(LeadershipChange.STOPPED_LEADING);
        assertThat(a.phase()).isEqualTo(LeaseElector.Phase.FOLLOWER);
    }

    @Test
    void renewalKeepsAcquireTimeAndTransitionsAndExtendsTheDeadline() {
        LeaseElector a = leaderAt(0);
        LeaseWrite renew = a.onRead(new ObservedLease(new LeaseRecord("a", 15, 0, 0, 0), "1"), 2);
        assertThat(renew.record()).isEqualTo(new LeaseRecord("a", 15, 0, 2, 0));
        assertThat(renew.expectedResourceVersion()).isEqualTo("1");
        assertThat(a.onWriteResult(new ObservedLease(renew.record(), "2"), 3)).isEqualTo(LeadershipChange.NONE);
        assertThat(a.isLeader(14)).isTrue();
        assertThat(a.isLeader(15)).isFalse();
    }

    @Test
    void aConflictingWriteDoesNotMakeALeader() {
        LeaseElector b = new LeaseElector("b", T, 0);
        LeaseWrite w = b.onRead(lease("", 0, 3, "4"), 0);
        assertThat(w.record().leaseTransitions()).isEqualTo(4);
        assertThat(b.onWriteResult(null, 1)).isEqualTo(LeadershipChange.NONE);
        assertThat(b.isLeader(1)).isFalse();
        assertThat(b.readDue(2)).isFalse();
        assertThat(b.readDue(3)).isTrue();
    }

    @Test
    void aLeaderThatReadsAnotherValidHolderKeepsItsBeliefUntilItsOwnDeadline() {
        // client-go: belief ends by the leader's renew deadline (0 + retry 2 + renew 10), not by what it reads.
        LeaseElector a = leaderAt(0);
        assertThat(a.onRead(lease("b", 0, 1, "2"), 5)).as("held by b, valid: wait").isNull();
        assertThat(a.isLeader(5)).isTrue();
        assertThat(a.isLeader(11)).isTrue();
        assertThat(a.tick(12)).isEqualTo(LeadershipChange.STOPPED_LEADING);
        assertThat(a.isLeader(12)).isFalse();
    }

    @Test
    void beliefIsDecidedByTheElectorsRules() {
        // The seam the model checker injects bugs through: rules that never let belief end keep a leader.
        ElectorRules neverEnds = new ElectorRules() {
            @Override
            public boolean believesLeading(long now, long renewDeadlineAt) {
                return true;
            }
        };
        LeaseElector a = new LeaseElector("a", T, 0, neverEnds);
        LeaseWrite w = a.onRead(null, 0);
        a.onWriteResult(new ObservedLease(w.record(), "1"), 0);
        assertThat(a.isLeader(1_000)).isTrue();
        assertThat(a.copy().isLeader(1_000)).as("copies keep the rules").isTrue();
        assertThat(leaderAt(0).isLeader(1_000)).isFalse();
    }

    /** The rules of the checker's GIVE_UP_AFTER_FAILED_TRY mutation (which lives in the tla module). */
    private static final ElectorRules GIVES_UP = new ElectorRules() {
        @Override
        public boolean retriesAfterFailedTry() {
            return false;
        }
    };

    /** The rules of the checker's LEADER_SKIPS_RENEWAL mutation. */
    private static final ElectorRules SKIPS_RENEWAL = new ElectorRules() {
        @Override
        public boolean leaderRenewsOnRead() {
            return false;
        }
    };

    @Test
    void rulesThatGiveUpNeverTryAgainAfterAFailedReadOrAConflict() {
        LeaseElector correct = new LeaseElector("a", T, 0);
        correct.onReadFailed(0);
        assertThat(correct.readDue(2)).as("the correct elector retries after retryPeriod").isTrue();

        LeaseElector readFailed = new LeaseElector("a", T, 0, GIVES_UP);
        readFailed.onReadFailed(0);
        assertThat(readFailed.nextTryAt()).isEqualTo(LeaseElector.NEVER);
        assertThat(readFailed.readDue(Long.MAX_VALUE - 1)).isFalse();

        LeaseElector conflicted = new LeaseElector("b", T, 0, GIVES_UP);
        conflicted.onRead(null, 0);
        conflicted.onWriteResult(null, 0);
        assertThat(conflicted.nextTryAt()).isEqualTo(LeaseElector.NEVER);
        assertThat(conflicted.toString()).contains("next try never");

        LeaseElector won = new LeaseElector("c", T, 0, GIVES_UP);
        LeaseWrite w = won.onRead(null, 0);
        won.onWriteResult(new ObservedLease(w.record(), "1"), 0);
        assertThat(won.nextTryAt()).as("a success schedules the renewal as usual").isEqualTo(2);
    }

    @Test
    void rulesThatSkipRenewalLetTheLeadersOwnValidLeaseStandUntilItsDeadlinePasses() {
        LeaseElector buggy = new LeaseElector("a", T, 0, SKIPS_RENEWAL);
        LeaseWrite w = buggy.onRead(null, 0);
        ObservedLease stored = new ObservedLease(w.record(), "1");
        buggy.onWriteResult(stored, 0);
        assertThat(buggy.onRead(stored, 2)).as("no renewal while it believes").isNull();
        assertThat(buggy.isLeader(11)).isTrue();
        assertThat(buggy.isLeader(12)).as("deadline 0 + retryPeriod + renewDeadline").isFalse();
        LeaseWrite retake = buggy.onRead(stored, 12);
        assertThat(retake).as("takes its lease back only after its belief ran out").isNotNull();
        assertThat(retake.expectedResourceVersion()).isEqualTo("1");

        LeaseElector correct = leaderAt(0);
        assertThat(correct.onRead(new ObservedLease(new LeaseRecord("a", 15, 0, 0, 0), "1"), 2)).as("the correct leader renews").isNotNull();
    }

    @Test
    void copiesAreIndependentAndFingerprintsTrackState() {
        LeaseElector a = new LeaseElector("a", T, 0);
        LeaseElector c = a.copy();
        assertThat(c.fingerprint()).isEqualTo(a.fingerprint());
        c.onRead(null, 0);
        assertThat(a.outstandingWrite()).isNull();
        assertThat(c.fingerprint()).isNotEqualTo(a.fingerprint());
    }

    @Test
    void rejectsTimingsClientGoRejects() {
        assertThatThrownBy(() -> new ElectionTiming(10, 10, 2)).hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> new ElectionTiming(15, 2, 2)).hasMessageContaining("retryPeriod*1.2");
        assertThatThrownBy(() -> new ElectionTiming(0, 10, 2)).hasMessageContaining("positive");
    }

    static LeaseElector leaderAt(long now) {
        LeaseElector a = new LeaseElector("a", T, now);
        LeaseWrite w = a.onRead(null, now);
        a.onWriteResult(new ObservedLease(w.record(), "1"), now);
        return a;
    }
}
