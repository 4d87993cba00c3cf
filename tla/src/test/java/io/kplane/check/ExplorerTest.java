package io.kplane.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine on a toy model whose state space is known by hand. */
class ExplorerTest {

    /** Two counters x, y in 0..max; actions IncX, IncY, and Reset (x := 0) when x = max. */
    record Pair(int x, int y) {}

    static Model<Pair> counters(int max, java.util.function.Predicate<Pair> inv, boolean badStep) {
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
            public boolean withinBounds(Pair s) { return true; }
            public List<Invariant<Pair>> invariants() { return List.of(new Invariant<>("Inv", inv)); }
            public List<ActionProperty<Pair>> actionProperties() {
                return badStep ? List.of(new ActionProperty<>("XNeverDecreases", (a, b) -> b.x() >= a.x())) : List.of();
            }
            public String describe(Pair s) { return "x=" + s.x() + " y=" + s.y(); }
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
    void multisetFingerprintsIgnoreOrderButCountDuplicates() {
        long a = Fingerprint.ofMultiset(new long[] {1, 2, 3}, 3);
        long b = Fingerprint.ofMultiset(new long[] {3, 1, 2}, 3);
        long c = Fingerprint.ofMultiset(new long[] {1, 1, 2, 3}, 4);
        long d = Fingerprint.ofMultiset(new long[] {1, 2}, 2);
        assertThat(a).isEqualTo(b).isNotEqualTo(c).isNotEqualTo(d);
    }
}
