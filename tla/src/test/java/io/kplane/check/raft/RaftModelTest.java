package io.kplane.check.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.ExplorationResult;
import io.kplane.check.Explorer;
import io.kplane.check.OnlyInvariant;
import io.kplane.raft.Mutation;
import org.junit.jupiter.api.Test;

/**
 * The explorer over the real Raft core: the correct core passes a small exhaustive search, and
 * each injected bug is found, by the invariant that names it, within bounds sized for that bug.
 */
class RaftModelTest {

    /** Timer events, terms, last log index, messages, restarts, drops, duplicates, proposals, reads. */
    static RaftModel.Config bounds(int ticks, int term, int log, int msgs, int restarts, int drops, int dups, int props) {
        return RaftModel.Config.defaults().withBounds(term, log, msgs, restarts, drops, dups, props, 0).withTicks(ticks);
    }

    static ExplorationResult run(RaftModel.Config c, String only) {
        RaftModel m = new RaftModel(c);
        return new Explorer<>(only == null ? m : new OnlyInvariant<>(m, only), 100, 2_000_000, null, Long.MAX_VALUE).run();
    }

    @Test
    void theCorrectCorePassesAnExhaustiveSmallSearch() {
        ExplorationResult r = run(bounds(4, 3, 3, 2, 1, 1, 1, 1), null);
        assertThat(r.passed()).as(r.counterexample() == null ? "" : r.counterexample().render()).isTrue();
        assertThat(r.exhaustive()).isTrue();
        assertThat(r.stats().distinct()).isGreaterThan(1_000);
        assertThat(r.invariants()).extracting(ExplorationResult.InvariantResult::name).containsExactly(
                "NoPanic", "ElectionSafety", "LogMatching", "LeaderCompleteness", "StateMachineSafety", "LeaderAppendOnly");
    }

    @Test
    void twoVotesInOneTermBreakElectionSafety() {
        ExplorationResult r = run(bounds(2, 2, 2, 5, 0, 0, 0, 0).with(Mutation.GRANT_TWO_VOTES_IN_ONE_TERM),
                RaftModel.ELECTION_SAFETY);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("ElectionSafety");
        assertThat(r.counterexample().render()).contains("VOTE").contains("LEADER term=2");
    }

    @Test
    void votingWithoutTheLogCheckBreaksLeaderCompleteness() {
        ExplorationResult r = run(bounds(3, 3, 3, 4, 0, 0, 0, 1).with(Mutation.VOTE_WITHOUT_LOG_CHECK),
                RaftModel.LEADER_COMPLETENESS);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("LeaderCompleteness");
    }

    @Test
    void acceptingAppendsFromAnOlderTermBreaksLeaderAppendOnly() {
        // A leader that processes a deposed leader's append (no term check) overwrites its own log.
        ExplorationResult r = run(bounds(3, 3, 2, 4, 0, 1, 0, 2).with(Mutation.ACCEPT_STALE_TERM_APPEND),
                RaftModel.LEADER_APPEND_ONLY);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("LeaderAppendOnly");
        assertThat(r.counterexample().render()).contains("APP");
    }

    @Test
    void acknowledgingBeforePersistingIsCaughtAfterACrash() {
        ExplorationResult r = run(bounds(2, 2, 2, 5, 1, 0, 0, 0).with(RaftModel.ShellMutation.ACK_BEFORE_PERSIST), null);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().render()).contains("Restart(");
    }
}
