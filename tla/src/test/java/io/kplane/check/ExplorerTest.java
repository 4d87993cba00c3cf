package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine on a toy model whose state space is known by hand. */
class ExplorerTest {

    /** Two counters x, y in 0..max; actions IncX, IncY, and Reset (x := 0) when x = max. */
    record Pair(int x, int y) {}

    static Model<Pair> counters(int max, java.util.function.Predicate<Pair> inv, boolean badStep) {
        return counters(max, inv, badStep, false);
    }

    static Model<Pair> counters(int max, java.util.function.Predicate<Pair> inv, boolean badStep, boolean pruneCorner) {
        return new Model<>() {
            public String name() { return "counters"; }
            public String describeBounds() { return "max " + max; }
            public List<Pair> initialStates() { return List.of(new Pair(0, 0)); }
            public void successors(Pair s, Successors<Pair> out) {
                if (s.x() < max) out.add("IncX", new Pair(s.x() + 1, s.y()));
                if (s.y() < max) out.add("IncY", new Pair(s.x(), s.y() + 1));
                if (s.x() == max) out.add("ResetX", new Pair(0, s.y()));
            }
            public long fingerprint(Pair s) { return new Fingerprint().add(s.x()).add(s.y()).get(); }
            public List<Invariant<Pair>> invariants() { return List.of(new Invariant<>("Inv", inv)); }
            public List<ActionProperty<Pair>> actionProperties() {
                return badStep ? List.of(new ActionProperty<>("XNeverDecreases", (a, b) -> b.x() >= a.x())) : List.of();
            }
            public String describe(Pair s) { return "x=" + s.x() + " y=" + s.y(); }
            public List<RequiredBehaviour<Pair>> requiredBehaviours() {
                return List.of(new RequiredBehaviour<>("ResetAtMax", (a, act, b) -> act.equals("ResetX")),
                        new RequiredBehaviour<>("BothAtMax", (a, act, b) -> b.x() == max && b.y() == max),
                        new RequiredBehaviour<>("Overflow", (a, act, b) -> b.x() > max));
            }
            public boolean withinBounds(Pair s) { return s.x() + s.y() <= 2 * max - 1 || !pruneCorner; }
        };
    }

    @Test
    void exploresEveryReachableStateOnce() {
        ExplorationResult r = new Explorer<>(counters(3, p -> true, false), 100).run();
        assertThat(r.passed()).isTrue();
        assertThat(r.exhaustive()).isTrue();
        assertThat(r.stats().distinct()).isEqualTo(16);
        assertThat(r.stats().maxDepth()).isEqualTo(6);
        // Generated: every transition (3+3 increments per row/column, resets from x=3).
        assertThat(r.stats().generated()).isEqualTo(1 + 12 + 12 + 4);
    }

    @Test
    void findsAShortestCounterexampleAndNumbersItsSteps() {
        ExplorationResult r = new Explorer<>(counters(3, p -> !(p.x() == 2 && p.y() == 1), false), 100).run();
        assertThat(r.passed()).isFalse();
        CounterexampleTrace t = r.counterexample();
        assertThat(t.steps()).hasSize(4);
        assertThat(t.steps().get(0).action()).isEqualTo("Init");
        assertThat(t.steps().get(3).state()).isEqualTo("x=2 y=1");
        assertThat(t.render()).contains("  4. Inc").contains("Inv is violated after 3 step(s)");
    }

    @Test
    void checksActionPropertiesOnEveryStep() {
        ExplorationResult r = new Explorer<>(counters(2, p -> true, true), 100).run();
        assertThat(r.passed()).isFalse();
        assertThat(r.counterexample().invariant()).isEqualTo("XNeverDecreases");
        List<CounterexampleTrace.Step> steps = r.counterexample().steps();
        assertThat(steps.get(steps.size() - 1).action()).isEqualTo("ResetX");
        assertThat(steps).hasSize(4);   // Init, IncX, IncX, ResetX
    }

    @Test
    void aDepthBoundIsReportedAsNotExhaustive() {
        ExplorationResult r = new Explorer<>(counters(3, p -> true, false), 2).run();
        assertThat(r.exhaustive()).isFalse();
        assertThat(r.depthBounded()).isTrue();
        assertThat(r.stats().distinct()).isEqualTo(6);
    }

    @Test
    void countsActionsPrunedStatesAndRequiredBehaviours() {
        ExplorationResult r = new Explorer<>(counters(3, p -> true, false), 100).run();
        // 12 IncX + 12 IncY (+1 initial state, not an action) and 4 resets, as in exploresEveryReachableStateOnce.
        assertThat(r.actions()).containsEntry("IncX", 12L).containsEntry("IncY", 12L).containsEntry("ResetX", 4L);
        assertThat(r.pruned()).isZero();
        assertThat(r.behaviours()).containsExactly(new ExplorationResult.BehaviourResult("ResetAtMax", 4),
                new ExplorationResult.BehaviourResult("BothAtMax", 2), new ExplorationResult.BehaviourResult("Overflow", 0));
        assertThat(r.passed()).isTrue();
        assertThat(r.unreached()).containsExactly("Overflow");
        assertThat(r.ok()).isFalse();

        // With (3,3) outside the bounds it is reached but not expanded: one pruned state, its reset never fires.
        ExplorationResult p = new Explorer<>(counters(3, q -> true, false, true), 100).run();
        assertThat(p.pruned()).isEqualTo(1);
        assertThat(p.actions()).containsEntry("ResetX", 3L);
    }

    @Test
    void actionsAreCountedByWhatHappenedNotByWhoDidIt() {
        var m = counters(3, p -> true, false);
        assertThat(m.actionKind("Deliver 1->2 VOTE")).isEqualTo("Deliver");
        assertThat(m.actionKind("Tick(n1)")).isEqualTo("Tick");
        assertThat(m.actionKind("Put (revision 2)")).isEqualTo("Put");
        assertThat(m.actionKind("Tick: now=3, clocks a=3 b=2")).isEqualTo("Tick");
        assertThat(m.actionKind("w1: Resume from 3")).isEqualTo("Resume");
        assertThat(m.actionKind("w12: lapped by the log (lost sequence 4) -> catch up")).isEqualTo("lapped");
        assertThat(m.actionKind("a: Update(rv 3) -> ok, rv 4")).isEqualTo("Update");
        assertThat(m.actionKind("Restart")).isEqualTo("Restart");
        assertThat(new io.kplane.check.election.ElectionModel(io.kplane.check.election.ElectionModel.Config.defaults())
                .actionKind("b: Get fails (API server unreachable)")).isEqualTo("Get fails");
    }

    @Test
    void multisetFingerprintsIgnoreOrderButCountDuplicates() {
        long a = Fingerprint.ofMultiset(new long[] {1, 2, 3}, 3);
        long b = Fingerprint.ofMultiset(new long[] {3, 1, 2}, 3);
        long c = Fingerprint.ofMultiset(new long[] {1, 1, 2, 3}, 4);
        long d = Fingerprint.ofMultiset(new long[] {1, 2}, 2);
        assertThat(a).isEqualTo(b).isNotEqualTo(c).isNotEqualTo(d);
    }
}
