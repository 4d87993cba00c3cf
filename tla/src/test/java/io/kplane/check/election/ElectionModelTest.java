package io.kplane.check.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.ExplorationResult;
import io.kplane.check.Explorer;
import org.junit.jupiter.api.Test;

class ElectionModelTest {

    static ExplorationResult explore(ElectionModel.Config c) {
        return new Explorer<>(new ElectionModel(c), 500).run();
    }

    @Test
    void atMostOneLeaderHoldsExhaustivelyWithinTheDriftBound() {
        ElectionModel.Config c = ElectionModel.Config.defaults();
        assertThat(c.safeTiming()).isTrue();
        ExplorationResult r = explore(c);
        assertThat(r.passed()).isTrue();
        assertThat(r.exhaustive()).as("time is abstracted, so the space is finite").isTrue();
        assertThat(r.stats().distinct()).isGreaterThan(1_000);
        assertThat(r.invariants()).extracting(ExplorationResult.InvariantResult::name)
                .containsExactly("AtMostOneLeader", "LeaderElectedAfterFaults");
        assertThat(r.invariants()).allSatisfy(i -> assertThat(i.holds()).as(i.name()).isTrue());
    }

    @Test
    void driftBeyondTheBoundYieldsTwoBelieversWithATrace() {
        ElectionModel.Config c = ElectionModel.Config.defaults().withSkew(2);
        assertThat(c.safeTiming()).isFalse();
        ExplorationResult r = explore(c);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("AtMostOneLeader");
        String trace = r.counterexample().render();
        assertThat(trace).contains("  1. Init").contains("Tick").contains("-> ok");
        String last = r.counterexample().steps().get(r.counterexample().steps().size() - 1).state();
        assertThat(last.split("BELIEVES IT LEADS", -1)).hasSize(3);
    }

    /**
     * Without drift, responses alone: a leader that learns of its renewal late counts its deadline
     * from then, while the other candidate saw the renewal when it was written. Up to
     * leaseDuration - retryPeriod - renewDeadline (5 ticks) it holds; one tick more breaks it.
     */
    @Test
    void slowResponsesBeyondTheBoundYieldTwoBelievers() {
        ElectionModel.Config within = ElectionModel.Config.defaults().withSkew(0).withMaxLatency(5);
        ExplorationResult ok = explore(within);
        assertThat(ok.passed()).isTrue();
        assertThat(ok.exhaustive()).isTrue();

        ElectionModel.Config beyond = within.withMaxLatency(6);
        assertThat(beyond.safeTiming()).isFalse();
        ExplorationResult r = explore(beyond);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("AtMostOneLeader");
        assertThat(r.counterexample().render()).contains("-> ok").contains(": learns ok");
    }

    @Test
    void mutationRenewAfterDeadlineIsCaught() {
        ExplorationResult r = explore(ElectionModel.Config.defaults().with(ElectorMutation.RENEW_AFTER_DEADLINE));
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("AtMostOneLeader");
    }

    @Test
    void mutationSkipResourceVersionCheckIsCaught() {
        ExplorationResult r = explore(ElectionModel.Config.defaults()
                .with(ElectionModel.StoreMutation.SKIP_RESOURCE_VERSION_CHECK));
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().render()).contains("Update(rv");
    }

    @Test
    void theSearchIsDeterministic() {
        ExplorationResult a = explore(ElectionModel.Config.defaults().withSkew(2));
        ExplorationResult b = explore(ElectionModel.Config.defaults().withSkew(2));
        assertThat(a.stats().distinct()).isEqualTo(b.stats().distinct());
        assertThat(a.counterexample()).isEqualTo(b.counterexample());
    }

    @Test
    void aBoundedHorizonGivesTheSameVerdict() {
        ExplorationResult r = explore(ElectionModel.Config.defaults().withMaxTime(12));
        assertThat(r.passed()).isTrue();
    }
}
