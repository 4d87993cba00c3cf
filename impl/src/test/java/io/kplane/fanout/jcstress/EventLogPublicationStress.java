package io.kplane.fanout.jcstress;

import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The memory-ordering contract the fan-out log relies on: an element's contents written (with
 * plain stores) before {@code append} are visible to a reader on another thread that gets the
 * element from {@code poll} (release store of slot and tail, acquire loads on the reader side).
 * A reader either sees nothing yet (-1) or the fully written element (42), never a half-built one (0).
 */
@JCStressTest
@Outcome(id = "-1", expect = Expect.ACCEPTABLE, desc = "not published yet")
@Outcome(id = "42", expect = Expect.ACCEPTABLE, desc = "published with its contents")
@Outcome(id = "0", expect = Expect.FORBIDDEN, desc = "element seen before its contents")
@State
public class EventLogPublicationStress {

    /** Deliberately mutable, with a plain field: only the log's release/acquire makes it safe. */
    static final class Box {
        int value;
    }

    private final EventLog<Box> log = new EventLog<>(4);
    private final EventLog.Cursor<Box> cursor = log.newCursor();

    @Actor
    public void writer() {
        Box b = new Box();
        b.value = 42;
        log.append(b);
    }

    @Actor
    public void reader(I_Result r) {
        try {
            Box b = cursor.poll();
            r.r1 = b == null ? -1 : b.value;
        } catch (OverrunException e) {
            r.r1 = -2;
        }
    }
}
