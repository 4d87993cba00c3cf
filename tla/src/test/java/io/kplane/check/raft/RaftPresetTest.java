package io.kplane.check.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.ExplorationResult;
import io.kplane.check.Explorer;
import io.kplane.raft.sim.Mutation;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The default {@code ./kplane check raft} run (the {@link RaftPreset}s, in order, stopping at the
 * first counterexample) catches every injected bug, with no bound chosen for that bug. (That the
 * correct core passes it and reaches what each search is for: {@code CheckCommandTest}.)
 */
class RaftPresetTest {

    /** The first failing search's result, or the last one's when all pass. */
    static ExplorationResult defaultRun(UnaryOperator<RaftModel.Config> flags) {
        ExplorationResult last = null;
        for (RaftPreset p : RaftPreset.defaults()) {
            last = new Explorer<>(p.model(flags), 100).run();
            if (!last.passed()) {
                return last;
            }
            assertThat(last.exhaustive()).as(p.name()).isTrue();
            assertThat(last.unreached()).as(p.name()).isEmpty();
        }
        return last;
    }

    @ParameterizedTest
    @EnumSource(value = Mutation.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void everyInjectedBugIsCaught(Mutation bug) {
        ExplorationResult r = defaultRun(c -> c.with(bug));
        assertThat(r.passed()).as(bug + " went unnoticed").isFalse();
        System.out.println(bug + ": " + r.counterexample().invariant() + " after " + r.counterexample().steps().size()
                + " steps, " + r.stats().distinct() + " states");
    }

    @Test
    void acknowledgingBeforePersistingIsCaught() {
        ExplorationResult r = defaultRun(c -> c.with(RaftModel.ShellMutation.ACK_BEFORE_PERSIST));
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().render()).contains("Restart(");
    }
}
