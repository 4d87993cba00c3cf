package io.kplane.fanout;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link EventLog} with Lincheck (stress and model-checking modes): one writer
 * appending, readers on other threads reading any sequence through their own cursor, and the
 * tail. Every concurrent history must be explainable by some sequential order of the same
 * operations run sequentially: a read returns the element appended with that sequence, or
 * "empty" if it is not published yet.
 *
 * <p>With a ring that does not wrap during the test (8 slots, at most 6 appends) the log is
 * linearizable. When it wraps, it is deliberately NOT: a reader is told "overrun" as soon as the
 * writer ANNOUNCES the overwrite of its slot ({@code tailIntent}), before the new element is
 * published, so a concurrent reader can see "seq 1 overrun" and "seq 3 empty" at once, which no
 * sequential order explains. That early overrun is what keeps a reader from ever returning a
 * wrong element; the last test pins it: Lincheck must find exactly that kind of history.
 */
class EventLogLincheckTest {

    /** The operations Lincheck runs, on a ring of the given capacity. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    @Param(name = "sequence", gen = IntGen.class, conf = "0:5")
    public abstract static class Ops {
        private final EventLog<Integer> log;

        protected Ops(int capacity) {
            log = new EventLog<>(capacity);
        }

        /** Single writer: Lincheck never runs two appends in parallel. */
        @Operation(nonParallelGroup = "writer")
        public long append(@Param(name = "value") int value) {
            return log.append(value);
        }

        /** A reader with its own cursor at {@code sequence}. */
        @Operation
        public String readAt(@Param(name = "sequence") int sequence) {
            try {
                Integer v = log.newCursor(sequence).poll();
                return v == null ? "empty" : "seq" + sequence + "=" + v;
            } catch (OverrunException e) {
                return "overrun";
            }
        }

        @Operation
        public long tail() {
            return log.tail();
        }
    }

    public static class NonWrapping extends Ops {
        public NonWrapping() {
            super(8);
        }
    }

    public static class Wrapping extends Ops {
        public Wrapping() {
            super(2);
        }
    }

    @Test
    void linearizableUnderStress() {
        new StressOptions().iterations(15).invocationsPerIteration(1_000).threads(3).actorsPerThread(2)
                .check(NonWrapping.class);
    }

    @Test
    void linearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(300).threads(3).actorsPerThread(2)
                .check(NonWrapping.class);
    }

    @Test
    void aWrappingRingReportsOverrunsOneAppendEarlyWhichIsNotLinearizable() {
        assertThatThrownBy(() -> new ModelCheckingOptions().iterations(50).invocationsPerIteration(500)
                .threads(3).actorsPerThread(3).check(Wrapping.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Invalid execution results")
                .hasMessageContaining("overrun");
    }
}
