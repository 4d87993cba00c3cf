package io.kplane.check.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.ExplorationResult;
import io.kplane.check.Explorer;
import io.kplane.check.OnlyInvariant;
import io.kplane.raft.sim.Mutation;
import io.kplane.raft.StateType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounded liveness check ({@code LeaderElectedAfterFaults}): the correct core elects a leader
 * that stays from every state a search reaches, and a core whose followers ignore heartbeats for
 * their election timer — a bug no safety invariant sees — fails it.
 */
class AfterFaultsTest {

    private static RaftModel model(Mutation m) {
        return new RaftModel(RaftModelTest.bounds(2, 3, 3, 3, 0, 0, 0, 1).with(m));
    }

    @Test
    void fromTheInitialStateALeaderIsElectedAndStays() {
        RaftModel m = model(Mutation.NONE);
        AfterFaults.Outcome o = new AfterFaults(8, 4).run(m.initialStates().get(0));
        assertThat(o.holds()).as(o.explanation()).isTrue();
        assertThat(o.electedAt()).isBetween(1, 4);
        assertThat(o.leader()).isBetween(1L, 3L);
        assertThat(o.term()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theRunDoesNotChangeTheStateItStartsFrom() {
        RaftModel m = model(Mutation.NONE);
        RaftWorld w = m.initialStates().get(0);
        long before = m.fingerprint(w);
        new AfterFaults(8, 4).run(w);
        assertThat(m.fingerprint(w)).isEqualTo(before);
        for (var n : w.nodes()) {
            assertThat(n.role()).isEqualTo(StateType.FOLLOWER);
        }
    }

    /** Too few rounds to elect anyone: the check can fail on a correct core when its bound is too tight. */
    @Test
    void aBoundTooShortForAnElectionFails() {
        RaftModel m = model(Mutation.NONE);
        AfterFaults.Outcome o = new AfterFaults(1, 0).run(m.initialStates().get(0));
        assertThat(o.holds()).isFalse();
        assertThat(o.explanation()).startsWith("no leader with a quorum 1 rounds after the faults stopped");
    }

    @Test
    void followersThatIgnoreHeartbeatsDeposeTheirLeaderWhileNothingFails() {
        AfterFaults.Outcome o = new AfterFaults(8, 4).run(model(Mutation.HEARTBEAT_LEAVES_ELECTION_TIMER).initialStates().get(0));
        assertThat(o.holds()).isFalse();
        assertThat(o.electedAt()).isPositive();
        assertThat(o.explanation()).contains("elected leader of term").contains("though nothing failed");
    }

    /** The same bug passes every safety invariant of the search: only the liveness check sees it. */
    @Test
    void onlyTheLivenessCheckCatchesTheHeartbeatBug() {
        RaftModel m = model(Mutation.HEARTBEAT_LEAVES_ELECTION_TIMER);
        List<String> safety = new ArrayList<>();
        m.invariants().forEach(i -> safety.add(i.name()));
        m.actionProperties().forEach(p -> safety.add(p.name()));
        safety.remove(RaftModel.LEADER_ELECTED_AFTER_FAULTS);
        for (String name : safety) {
            ExplorationResult r = new Explorer<>(new OnlyInvariant<>(m, name), 100).run();
            assertThat(r.passed()).as(name).isTrue();
        }
        ExplorationResult r = new Explorer<>(new OnlyInvariant<>(m, RaftModel.LEADER_ELECTED_AFTER_FAULTS), 100).run();
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo(RaftModel.LEADER_ELECTED_AFTER_FAULTS);
        assertThat(r.counterexample().render()).contains("AFTER THE FAULTS STOP:");
    }
}
