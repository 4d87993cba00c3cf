package io.kplane.check.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.ExplorationResult;
import io.kplane.check.Explorer;
import io.kplane.check.OnlyInvariant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchModelTest {

    static final WatchModel.Config SMALL = new WatchModel.Config(2, 4, 2, 1, WatchModel.Mutation.NONE);

    @Test
    void watchGuaranteesHoldExhaustivelyOverTheRealFanoutAndStore() {
        ExplorationResult r = new Explorer<>(new WatchModel(SMALL), 200).run();
        assertThat(r.passed()).as(r.counterexample() == null ? "" : r.counterexample().render()).isTrue();
        assertThat(r.exhaustive()).isTrue();
        assertThat(r.stats().distinct()).isGreaterThan(1_000);
        assertThat(r.invariants()).extracting(ExplorationResult.InvariantResult::name)
                .containsExactly("InOrderGapFreeNoDuplicates", "CompactedOnlyWhenGone", "ExactResume");
    }

    static ExplorationResult mutated(WatchModel.Mutation m, String invariant) {
        return new Explorer<>(new OnlyInvariant<>(new WatchModel(SMALL.withWatchers(1).with(m)), invariant), 200).run();
    }

    @Test
    void takingANewerRevisionFromTheLogIsCaughtAsAGap() {
        ExplorationResult r = mutated(WatchModel.Mutation.SKIP_EXACT_NEXT_CHECK, WatchModel.IN_ORDER);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().render()).contains("receives revision").contains("history from");
    }

    @Test
    void resumingAtTheLastRevisionInsteadOfTheNextIsCaught() {
        ExplorationResult r = mutated(WatchModel.Mutation.RESUME_AT_LAST_DELIVERED, WatchModel.EXACT_RESUME);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().render()).contains("Resume from");
    }

    /**
     * What {@code ./kplane check watch --mutation BUG} runs: the default bounds, every invariant.
     * Each bug must be caught there, and by the invariant it breaks.
     */
    @Test
    void theDefaultRunCatchesEveryMutationByTheInvariantItBreaks() {
        Map<WatchModel.Mutation, String> expected = Map.of(
                WatchModel.Mutation.SKIP_EXACT_NEXT_CHECK, WatchModel.IN_ORDER,
                WatchModel.Mutation.RESUME_AT_LAST_DELIVERED, WatchModel.EXACT_RESUME,
                WatchModel.Mutation.COMPACTED_AT_BOUNDARY, WatchModel.COMPACTED_ONLY_WHEN_GONE);
        for (WatchModel.Mutation m : WatchModel.Mutation.values()) {
            if (m == WatchModel.Mutation.NONE) {
                continue;
            }
            assertThat(expected).as("every mutation has its invariant here").containsKey(m);
            ExplorationResult r = new Explorer<>(new WatchModel(WatchModel.Config.defaults().with(m)), 200).run();
            assertThat(r.passed()).as(m.name()).isFalse();
            assertThat(r.counterexample().invariant()).as(m.name()).isEqualTo(expected.get(m));
        }
    }

    @Test
    void reportingCompactedAtTheCompactionRevisionIsCaught() {
        ExplorationResult r = mutated(WatchModel.Mutation.COMPACTED_AT_BOUNDARY, WatchModel.COMPACTED_ONLY_WHEN_GONE);
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().render()).contains("Compact(");
    }
}
