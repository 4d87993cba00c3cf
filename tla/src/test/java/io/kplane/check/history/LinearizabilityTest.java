package io.kplane.check.history;

import static io.kplane.check.history.Operation.Outcome.FAIL;
import static io.kplane.check.history.Operation.Outcome.INFO;
import static io.kplane.check.history.Operation.Outcome.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.check.history.Linearizability.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LinearizabilityTest {

    private static final long BUDGET = TimeUnit.SECONDS.toNanos(20);

    private static Linearizability.Result check(List<Operation> h) {
        return Linearizability.checkPerKey(h, new CasRegister(), BUDGET);
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        List<Operation> h = List.of(
                Operation.read(1, "k", null, OK, 0, 1),
                Operation.write(1, "k", "a", OK, 2, 2, 3),
                Operation.read(2, "k", "a", OK, 4, 5),
                Operation.cas(2, "k", "a", "b", true, OK, 3, 6, 7),
                Operation.cas(1, "k", "a", "c", false, OK, 0, 8, 9),
                Operation.read(1, "k", "b", OK, 10, 11));
        assertThat(check(h).linearizable()).isTrue();
    }

    @Test
    void concurrentReadMaySeeEitherValue() {
        List<Operation> h = List.of(
                Operation.write(1, "k", "a", OK, 2, 0, 1),
                Operation.write(1, "k", "b", OK, 3, 2, 10),
                Operation.read(2, "k", "a", OK, 3, 4),   // before b took effect
                Operation.read(3, "k", "b", OK, 5, 6),   // after
                Operation.read(2, "k", "b", OK, 7, 8));
        assertThat(check(h).linearizable()).isTrue();
    }

    @Test
    void staleReadIsNotLinearizable() {
        // b is written and acknowledged; a later read (invoked after the ack) still returns a
        List<Operation> h = List.of(
                Operation.write(1, "k", "a", OK, 2, 0, 1),
                Operation.write(1, "k", "b", OK, 3, 2, 3),
                Operation.read(2, "k", "a", OK, 4, 5));
        Linearizability.Result r = check(h);
        assertThat(r.linearizable()).isFalse();
        Linearizability.PartResult v = r.violations().get(0);
        assertThat(v.part()).isEqualTo("k");
        assertThat(v.stuck().value()).isEqualTo("a");
        assertThat(v.excerpt()).contains("read k -> a").contains("write k := b");
    }

    @Test
    void lostUpdateIsNotLinearizable() {
        // two CAS from the same value both succeed: one update is lost
        List<Operation> h = List.of(
                Operation.write(1, "k", "0", OK, 2, 0, 1),
                Operation.cas(1, "k", "0", "1", true, OK, 3, 2, 5),
                Operation.cas(2, "k", "0", "2", true, OK, 4, 3, 6),
                Operation.read(3, "k", "2", OK, 7, 8));
        assertThat(check(h).linearizable()).isFalse();
    }

    @Test
    void acknowledgedWriteThenAbsentIsNotLinearizable() {
        List<Operation> h = List.of(
                Operation.write(1, "k", "a", OK, 2, 0, 1),
                Operation.read(2, "k", null, OK, 2, 3));
        assertThat(check(h).linearizable()).isFalse();
    }

    @Test
    void readOfValueNeverWrittenIsNotLinearizable() {
        List<Operation> h = List.of(
                Operation.write(1, "k", "a", OK, 2, 0, 1),
                Operation.read(2, "k", "z", OK, 0, 3));
        assertThat(check(h).linearizable()).isFalse();
    }

    @Test
    void unknownWriteMayTakeEffectLateOrNever() {
        List<Operation> late = List.of(
                Operation.write(1, "k", "a", INFO, 0, 0, 0),
                Operation.read(2, "k", null, OK, 1, 2),
                Operation.read(2, "k", "a", OK, 100, 101));
        List<Operation> never = List.of(
                Operation.write(1, "k", "a", INFO, 0, 0, 0),
                Operation.read(2, "k", null, OK, 1, 2),
                Operation.read(2, "k", null, OK, 100, 101));
        assertThat(check(late).linearizable()).isTrue();
        assertThat(check(never).linearizable()).isTrue();
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItsInvocation() {
        List<Operation> h = List.of(
                Operation.read(2, "k", "a", OK, 1, 2),
                Operation.write(1, "k", "a", INFO, 0, 10, 0));
        assertThat(check(h).linearizable()).isFalse();
    }

    @Test
    void failedOperationsAreIgnored() {
        List<Operation> h = List.of(
                Operation.write(1, "k", "a", FAIL, 0, 0, 1),
                Operation.read(2, "k", null, OK, 2, 3));
        assertThat(check(h).linearizable()).isTrue();
    }

    @Test
    void keysAreCheckedIndependently() {
        List<Operation> h = List.of(
                Operation.write(1, "x", "a", OK, 2, 0, 1),
                Operation.write(1, "y", "b", OK, 3, 2, 3),
                Operation.read(2, "x", "a", OK, 4, 5),
                Operation.read(2, "y", null, OK, 6, 7)); // stale on y only
        Linearizability.Result r = check(h);
        assertThat(r.parts()).extracting(Linearizability.PartResult::verdict)
                .containsExactly(Verdict.LINEARIZABLE, Verdict.NOT_LINEARIZABLE);
    }

    /**
     * Histories generated from the sequential model: each operation takes effect at a distinct
     * instant inside its [invoke, complete] interval, its result computed by the model in that
     * order; some outcomes are then hidden (INFO) or failed reads added. Every such history is
     * linearizable, whatever the overlap.
     */
    @Property(tries = 300)
    void historiesFromTheSequentialModelAreLinearizable(@ForAll("executions") List<Step> steps) {
        assertThat(check(fromModel(steps)).linearizable()).isTrue();
    }

    /** The same histories with one acknowledged write dropped from under a later read of it fail. */
    @Property(tries = 200)
    void readingAnOverwrittenValueAfterTheOverwriteFails(@ForAll("executions") List<Step> steps) {
        List<Operation> h = new ArrayList<>(fromModel(steps));
        long end = h.stream().filter(o -> o.outcome() != INFO).mapToLong(Operation::completeNanos).max().orElse(0);
        // append: write a fresh value, then (strictly later) read the value before it
        String before = h.stream().filter(o -> o.key().equals("k0") && o.acknowledgedWrite())
                .reduce((a, b) -> b).map(Operation::value).orElse(null);
        if (h.stream().anyMatch(o -> o.outcome() == INFO)) {
            return; // an unknown write could still land between: not a clear violation
        }
        h.add(Operation.write(99, "k0", "fresh", OK, 0, end + 10, end + 11));
        h.add(Operation.read(98, "k0", before, OK, end + 12, end + 13));
        assertThat(check(h).linearizable()).isFalse();
    }

    record Step(int key, int kind, int arg, long width, long lead, boolean hide) {
    }

    @Provide
    Arbitrary<List<Step>> executions() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, 40), Arbitraries.integers().between(0, 9))
                .as((key, kind, arg, width, lead, hide) -> new Step(key, kind, arg, width, lead, hide == 0));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    /** Runs the steps through the model at instants 100, 200, ...; intervals stretch around each instant. */
    static List<Operation> fromModel(List<Step> steps) {
        CasRegister model = new CasRegister();
        CasRegister.State[] state = {model.initial(), model.initial()};
        List<Operation> out = new ArrayList<>();
        int written = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            long at = 100L * (i + 1);
            long invoke = at - s.lead();
            long complete = at + s.width();
            String key = "k" + s.key();
            CasRegister.State st = state[s.key()];
            Operation op = switch (s.kind()) {
                case 0 -> Operation.read(i, key, st.value(), OK, invoke, complete);
                case 1 -> Operation.write(i, key, "v" + (++written), OK, 0, invoke, complete);
                default -> {
                    String expected = s.arg() == 0 ? null : s.arg() <= 2 && st.value() != null ? st.value() : "v" + s.arg();
                    yield Operation.cas(i, key, expected, "v" + (++written), java.util.Objects.equals(st.value(), expected),
                            OK, 0, invoke, complete);
                }
            };
            state[s.key()] = model.step(st, op);
            if (s.hide() && op.kind() != Operation.Kind.READ) {
                op = new Operation(op.process(), op.kind(), op.key(), op.value(), op.expected(), false, INFO, 0, invoke, 0, null);
            } else if (s.hide()) {
                out.add(Operation.read(1000 + i, key, "garbage", FAIL, invoke, complete));
            }
            out.add(op);
        }
        return out;
    }

    @Test
    void generatorMarksACasWhoseComparisonHeldAsSucceeded() {
        List<Operation> h = fromModel(List.of(new Step(0, 1, 0, 0, 0, false), new Step(0, 2, 1, 0, 0, false)));
        assertThat(h.get(1).expected()).isEqualTo("v1");
        assertThat(h.get(1).succeeded()).isTrue();
    }
}
