package io.kplane.bench.watch;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When each write was acknowledged, by the revision it created: written by the writer's
 * completion callbacks, read by the watch streams. 0 means not (yet) acknowledged.
 */
final class AckTimes {
  private final ConcurrentHashMap<Long, Long> byRevision = new ConcurrentHashMap<>();

  void acked(long revision, long nanos) {
    byRevision.put(revision, nanos);
  }

  long ackNanos(long revision) {
    Long t = byRevision.get(revision);
    return t == null ? 0 : t;
  }
}
