package io.kplane.bench.watch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Per revision: when its write was acknowledged and whether the write belongs to the measured
 * period (writes issued during the warm-up are delivered but not counted). Receipts are counted
 * here: latency from the acknowledgement, or 0 for an event that beat its acknowledgement (counted
 * once the acknowledgement says whether the write was measured).
 *
 * <p>The common case (the acknowledgement is known when the event arrives) is one array read and
 * one histogram record, so that the receiving side of a 10k-watcher run is not what is measured.
 * Revisions index a ring of {@link #SLOTS} entries tagged with the revision; a run writes far fewer
 * revisions than that in flight at once. Only an event that arrives before its acknowledgement takes
 * the map (and its lock), which {@link #acked} then settles.
 */
final class AckTimes {
  static final int SLOTS = 1 << 20;
  private static final int MASK = SLOTS - 1;

  private static final class Early {
    int count;
  }

  /** Per slot: the revision it holds (0: none), then ack nanos with the measured flag in the low bit. */
  private final AtomicLongArray revisions = new AtomicLongArray(SLOTS);
  private final AtomicLongArray acks = new AtomicLongArray(SLOTS);
  private final ConcurrentHashMap<Long, Early> early = new ConcurrentHashMap<>();
  final Histogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
  private final LongAdder delivered = new LongAdder();
  private final LongAdder beforeAck = new LongAdder();

  void acked(long revision, long nanos, boolean measured) {
    int slot = (int) (revision & MASK);
    acks.set(slot, (nanos & ~1L) | (measured ? 1 : 0));
    revisions.set(slot, revision); // publishes the ack (volatile write after the plain data)
    // Always looked up, never skipped when the map seems empty: a receipt may be inside compute()
    // below, having missed this ack, with its entry not yet counted by isEmpty() — skipping lost it.
    early.computeIfPresent(revision, (r, e) -> {
      if (measured) {
        for (int i = 0; i < e.count; i++) {
          latency.recordValue(0);
        }
        delivered.add(e.count);
        beforeAck.add(e.count);
      }
      return null;
    });
  }

  void received(long revision, long nanos) {
    if (!recordIfAcked(revision, nanos)) {
      early.compute(revision, (r, e) -> {
        // Re-checked under the entry's lock: an ack that landed meanwhile settles here, a later one in acked().
        if (recordIfAcked(revision, nanos)) {
          return e;
        }
        Early x = e == null ? new Early() : e;
        x.count++;
        return x;
      });
    }
  }

  private boolean recordIfAcked(long revision, long nanos) {
    int slot = (int) (revision & MASK);
    if (revisions.get(slot) != revision) {
      return false;
    }
    long a = acks.get(slot);
    if ((a & 1) != 0) {
      latency.recordValue(Math.max(0, nanos - (a & ~1L)));
      delivered.increment();
    }
    return true;
  }

  /** Measured deliveries so far. */
  long deliveries() {
    return delivered.sum();
  }

  /** Measured deliveries that arrived before their write's acknowledgement (counted 0). */
  long early() {
    return beforeAck.sum();
  }
}
