package io.kplane.check.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.ExplorationResult;
import io.kplane.check.Explorer;
import io.kplane.check.Invariant;
import io.kplane.check.Model;
import io.kplane.check.OnlyInvariant;
import io.kplane.election.LeaseElector;
import io.kplane.election.LeaseWrite;
import io.kplane.election.ObservedLease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The election model's bounded liveness check ({@code LeaderElectedAfterFaults}): the correct
 * elector takes and keeps the lease from every state the default search reaches, and two safe but
 * not live electors ({@code AtMostOneLeader} never sees them) fail it: one that stops trying after
 * one failure, and a leader that skips its renewals.
 */
class LeaseAfterFaultsTest {

    private static final ElectionModel.Config DEFAULTS = ElectionModel.Config.defaults();

    /** The state after each candidate's first Get failed (the API server was out of reach). */
    private static ElectionWorld bothReadsFailed(ElectionModel m) {
        ElectionWorld w = m.initialStates().get(0);
        w = successor(m, w, "a: Get fails");
        return successor(m, w, "b: Get fails");
    }

    private static ElectionWorld successor(ElectionModel m, ElectionWorld w, String actionPrefix) {
        List<ElectionWorld> found = new ArrayList<>();
        m.successors(w, (action, next) -> {
            if (action.startsWith(actionPrefix)) {
                found.add(next);
            }
        });
        assertThat(found).as(actionPrefix).hasSize(1);
        return found.get(0);
    }

    @Test
    void theBoundIsLeaseDurationPlusRetryPeriodAndTheLeaderMustKeepTheLeaseOneLeaseDuration() {
        LeaseAfterFaults b = new ElectionModel(DEFAULTS).afterFaults();
        assertThat(b.electWithin()).isEqualTo(8 + 1);
        assertThat(b.stayFor()).isEqualTo(8);
    }

    @Test
    void fromTheInitialStateTheFirstCandidateTakesTheLeaseAtOnceAndKeepsIt() {
        ElectionModel m = new ElectionModel(DEFAULTS);
        LeaseAfterFaults.Outcome o = m.afterFaults().run(m.initialStates().get(0));
        assertThat(o.holds()).as(o.explanation()).isTrue();
        assertThat(o.electedAt()).isZero();
        assertThat(o.leader()).isZero();   // a reads first; b's create conflicts
        assertThat(o.explanation()).isEqualTo("a leads from tick 0 after the faults stopped and still leads 8 ticks later");
    }

    @Test
    void theRunDoesNotChangeTheStateItStartsFrom() {
        ElectionModel m = new ElectionModel(DEFAULTS);
        ElectionWorld w = bothReadsFailed(m);
        long before = m.fingerprint(w);
        String described = w.electors()[0].toString() + w.electors()[1];
        assertThat(m.afterFaults().run(w).holds()).isTrue();
        assertThat(m.fingerprint(w)).isEqualTo(before);
        assertThat(w.electors()[0].toString() + w.electors()[1]).isEqualTo(described);
        assertThat(w.lease()).isNull();
    }

    /** After failed reads the next try is one retryPeriod away: a bound of 0 ticks is too short, 1 is enough. */
    @Test
    void aBoundTooShortFailsOnTheCorrectElector() {
        ElectionModel m = new ElectionModel(DEFAULTS);
        ElectionWorld w = bothReadsFailed(m);
        LeaseAfterFaults.Outcome tight = new LeaseAfterFaults(0, 0, ElectionModel.StoreMutation.NONE).run(w);
        assertThat(tight.holds()).isFalse();
        assertThat(tight.explanation()).startsWith("no candidate took the lease within 0 ticks after the faults stopped");
        LeaseAfterFaults.Outcome enough = new LeaseAfterFaults(1, 8, ElectionModel.StoreMutation.NONE).run(w);
        assertThat(enough.holds()).as(enough.explanation()).isTrue();
        assertThat(enough.electedAt()).isEqualTo(1);
    }

    /**
     * A state of the latency model (skew 0, responses up to 5 ticks late): b created the Lease at
     * time 0 but learned it at 5, so it believes until 8; a saw the Lease at 0, so for a it expires
     * at 8; both candidates' reads failed since. When the faults stop at 7, b leads — but its next
     * try comes when its deadline passes, the same instant a may take over.
     */
    private static ElectionWorld leaderWhoseDeadlineMeetsTheStandbysExpiry() {
        var timing = DEFAULTS.timing();
        LeaseElector a = new LeaseElector("a", timing, 0);
        LeaseElector b = new LeaseElector("b", timing, 0);
        LeaseWrite create = b.onRead(null, 0);
        ObservedLease stored = new ObservedLease(create.record(), "1");
        assertThat(a.onRead(stored, 0)).isNull();
        b.onWriteResult(stored, 5);
        for (int clock = 1; clock < 8; clock++) {
            if (a.readDue(clock)) {
                a.onReadFailed(clock);
            }
            if (b.readDue(clock)) {
                b.onReadFailed(clock);
            }
        }
        ElectionWorld w = new ElectionWorld(7, new int[] {7, 7}, create.record(), 1, new LeaseElector[] {a, b});
        assertThat(b.isLeader(7)).isTrue();
        assertThat(b.nextTryAt()).isEqualTo(8);
        return w;
    }

    @Test
    void aLeaderThatFaultsLeftTooLittleTimeIsReplacedWithinTheBound() {
        ElectionWorld w = leaderWhoseDeadlineMeetsTheStandbysExpiry();
        LeaseAfterFaults.Outcome o = new ElectionModel(DEFAULTS).afterFaults().run(w);
        assertThat(o.holds()).as(o.explanation()).isTrue();
        assertThat(o.leader()).isZero();
        assertThat(o.electedAt()).isEqualTo(1);
    }

    /** The same handover with no time allowed for it: the leader at the stop lost the lease, which the bound 0 does not admit. */
    @Test
    void aLeaderThatLosesTheLeaseAfterTheFaultsStopMissesATightBound() {
        LeaseAfterFaults.Outcome o = new LeaseAfterFaults(0, 8, ElectionModel.StoreMutation.NONE).run(leaderWhoseDeadlineMeetsTheStandbysExpiry());
        assertThat(o.holds()).isFalse();
        assertThat(o.explanation()).startsWith("no candidate took the lease within 0 ticks after the faults stopped and kept it 8 ticks; "
                + "b led from tick 0 and lost it at tick 1");
    }

    @Test
    void electorsThatGaveUpAfterAFailedReadNeverTakeTheLease() {
        ElectionModel m = new ElectionModel(DEFAULTS.with(ElectorMutation.GIVE_UP_AFTER_FAILED_TRY));
        ElectionWorld w = bothReadsFailed(m);
        LeaseAfterFaults.Outcome o = m.afterFaults().run(w);
        assertThat(o.holds()).isFalse();
        assertThat(o.electedAt()).isEqualTo(-1);
        assertThat(o.explanation()).startsWith("no candidate took the lease within 9 ticks after the faults stopped")
                .contains("lease (none)").contains("next try never");
    }

    /** Nothing fails, yet the leader that skips its renewals loses its belief when its deadline passes. */
    @Test
    void aLeaderThatSkipsItsRenewalsLetsLeadershipLapseWhileNothingFails() {
        ElectionModel m = new ElectionModel(DEFAULTS.with(ElectorMutation.LEADER_SKIPS_RENEWAL));
        LeaseAfterFaults.Outcome o = m.afterFaults().run(m.initialStates().get(0));
        assertThat(o.holds()).isFalse();
        // a leads from tick 0 (deadline 0 + retryPeriod 1 + renewDeadline 2) and takes the lease back
        // each time its belief has run out: no run of 8 ticks
        assertThat(o.explanation()).startsWith("no candidate took the lease within 9 ticks after the faults stopped and kept it 8 ticks; a led from tick ")
                .contains(" and lost it at tick ");
    }

    /**
     * Both mutations are safe — the exhaustive search finds no two believers — so only the liveness
     * check catches them, and the default run ({@code ./kplane check election}) does.
     */
    @ParameterizedTest
    @EnumSource(value = ElectorMutation.class, names = {"GIVE_UP_AFTER_FAILED_TRY", "LEADER_SKIPS_RENEWAL"})
    void onlyTheLivenessCheckCatchesAnElectorThatIsSafeButNotLiveAndTheDefaultRunDoes(ElectorMutation mutation) {
        ElectionModel m = new ElectionModel(DEFAULTS.with(mutation));
        ExplorationResult safety = new Explorer<>(new OnlyInvariant<>(m, ElectionModel.AT_MOST_ONE_LEADER), 500).run();
        assertThat(safety.passed()).isTrue();
        assertThat(safety.exhaustive()).isTrue();

        ExplorationResult r = new Explorer<>(m, 500).run();
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo(ElectionModel.LEADER_ELECTED_AFTER_FAULTS);
        assertThat(r.counterexample().render()).contains("AFTER THE FAULTS STOP: no candidate took the lease");
    }

    /**
     * Over every state of the default search the correct elector meets the bound; the worst case
     * found is one retryPeriod plus the tick to reach it, since every candidate comes back once the
     * faults stop (the old holder renews at its next try).
     */
    @Test
    void theCorrectElectorMeetsTheBoundFromEveryReachedState() {
        ElectionModel m = new ElectionModel(DEFAULTS);
        AtomicInteger worst = new AtomicInteger(-1);
        AtomicInteger checked = new AtomicInteger();
        Model<ElectionWorld> measured = new Measured(m, w -> {
            LeaseAfterFaults.Outcome o = m.afterFaults().run(w);
            checked.incrementAndGet();
            worst.accumulateAndGet(o.electedAt(), Math::max);
            return o.holds();
        });
        ExplorationResult r = new Explorer<>(measured, 500).run();
        assertThat(r.passed()).isTrue();
        assertThat(r.exhaustive()).isTrue();
        assertThat(checked.get()).isGreaterThanOrEqualTo((int) r.stats().distinct());
        assertThat(worst.get()).isBetween(1, m.afterFaults().electWithin());
        System.out.printf("LeaderElectedAfterFaults (election defaults): %,d states, worst election %d ticks after the faults stop, bound %d%n",
                r.stats().distinct(), worst.get(), m.afterFaults().electWithin());
    }

    /** The election model with one extra invariant that measures as it checks. */
    private record Measured(ElectionModel m, java.util.function.Predicate<ElectionWorld> check) implements Model<ElectionWorld> {
        @Override public String name() { return m.name(); }
        @Override public String describeBounds() { return m.describeBounds(); }
        @Override public List<ElectionWorld> initialStates() { return m.initialStates(); }
        @Override public void successors(ElectionWorld s, Successors<ElectionWorld> out) { m.successors(s, out); }
        @Override public long fingerprint(ElectionWorld s) { return m.fingerprint(s); }
        @Override public boolean withinBounds(ElectionWorld s) { return m.withinBounds(s); }
        @Override public String describe(ElectionWorld s) { return m.describe(s); }
        @Override public List<Invariant<ElectionWorld>> invariants() { return List.of(new Invariant<>("measured", check)); }
    }
}
