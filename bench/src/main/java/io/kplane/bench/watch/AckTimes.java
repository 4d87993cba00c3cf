package io.kplane.bench.watch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Per revision: when its write was acknowledged and whether the write belongs to the measured
 * period (writes issued during the warm-up are delivered but not counted). Receipts are counted
 * here: latency from the acknowledgement, or 0 for an event that beat its acknowledgement (counted
 * once the acknowledgement says whether the write was measured).
 */
final class AckTimes {
  private static final class Entry {
    long ackNanos;
    boolean measured;
    int early;
  }

  private final ConcurrentHashMap<Long, Entry> byRevision = new ConcurrentHashMap<>();
  final Histogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
  final AtomicLong deliveries = new AtomicLong();
  final AtomicLong early = new AtomicLong();

  void acked(long revision, long nanos, boolean measured) {
    byRevision.compute(revision, (r, e) -> {
      Entry x = e == null ? new Entry() : e;
      x.ackNanos = nanos;
      x.measured = measured;
      if (measured && x.early > 0) {
        for (int i = 0; i < x.early; i++) {
          latency.recordValue(0);
        }
        deliveries.addAndGet(x.early);
        early.addAndGet(x.early);
      }
      return x;
    });
  }

  void received(long revision, long nanos) {
    byRevision.compute(revision, (r, e) -> {
      Entry x = e == null ? new Entry() : e;
      if (x.ackNanos == 0) {
        x.early++;
      } else if (x.measured) {
        latency.recordValue(Math.max(0, nanos - x.ackNanos));
        deliveries.incrementAndGet();
      }
      return x;
    });
  }
}
