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
 * The lapping contract of the fan-out log: a reader never returns an element under the wrong
 * sequence number. The ring has two slots and already holds sequences 0 and 1 (values 10 and 11);
 * the writer appends sequence 2 (value 12), which overwrites the slot of sequence 0, while a
 * reader reads sequence 0. The reader gets 10 or is told it was lapped (-2), never 12: the writer
 * announces the overwrite ({@code tailIntent}) before it stores the slot, and the reader re-checks
 * the announcement after loading the slot.
 */
@JCStressTest
@Outcome(id = "10", expect = Expect.ACCEPTABLE, desc = "read before the overwrite")
@Outcome(id = "-2", expect = Expect.ACCEPTABLE, desc = "told it was lapped")
@Outcome(id = "12", expect = Expect.FORBIDDEN, desc = "returned sequence 2's element as sequence 0")
@Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
@State
public class EventLogOverwriteStress {
    private final EventLog<Integer> log = new EventLog<>(2);
    private final EventLog.Cursor<Integer> cursor;

    public EventLogOverwriteStress() {
        log.append(10);
        log.append(11);
        cursor = log.newCursor(0);
    }

    @Actor
    public void writer() {
        log.append(12);
    }

    @Actor
    public void reader(I_Result r) {
        try {
            Integer v = cursor.poll();
            r.r1 = v == null ? -1 : v;
        } catch (OverrunException e) {
            r.r1 = -2;
        }
    }
}
