package io.kplane.apiserver.jcstress;

import io.kplane.apiserver.EventWindow;
import io.kplane.fanout.OverrunException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The watch cache window's generation switch under a concurrent reader: the writer appends
 * revisions 1..6 into a window that starts with 2 slots and doubles twice (2 -> 4 -> 8, each
 * resize copying the newest events into a new ring), while a reader created before the first
 * append reads as far as it can. Whatever it sees must be 1, 2, ..., k in order, without a gap or
 * a duplicate (r2 = 1), never a skipped or repeated revision (r2 = 0); it is never lapped here
 * because every resize keeps every event (r2 = 2 would be a false overrun).
 */
@JCStressTest
@Outcome(id = {"0, 1", "1, 1", "2, 1", "3, 1", "4, 1", "5, 1", "6, 1"}, expect = Expect.ACCEPTABLE,
    desc = "an in-order, gap-free prefix of the writes")
@Outcome(id = ".*, 0", expect = Expect.FORBIDDEN, desc = "a revision skipped, repeated or out of order")
@Outcome(id = ".*, 2", expect = Expect.FORBIDDEN, desc = "overrun although no event was evicted")
@State
public class EventWindowResizeStress {
  private final EventWindow<Long> window = new EventWindow<>(Long::longValue, 0, Long.MAX_VALUE, 2, 8);
  private final EventWindow.Reader<Long> reader = window.readerAfter(0);

  @Actor
  public void writer() {
    for (long r = 1; r <= 6; r++) {
      window.append(r, 0);
    }
  }

  @Actor
  public void reader(II_Result r) {
    long expect = 1;
    int ok = 1;
    try {
      for (int i = 0; i < 12; i++) {
        Long e = reader.next();
        if (e == null) {
          continue;
        }
        if (e != expect) {
          ok = 0;
          break;
        }
        expect++;
      }
    } catch (OverrunException e) {
      ok = 2;
    }
    r.r1 = (int) (expect - 1);
    r.r2 = ok;
  }
}
