package io.kplane.apiserver;

import io.kplane.fanout.OverrunException;

/**
 * One watch served from a {@link WatchCache}: its own reader of the cache's event window, its
 * filter (namespace, label and field selectors) and the sink its events go to. A
 * {@link WatchDispatcher} worker owns it: {@link #pump} runs on that one thread only, so the sink
 * gets one call at a time. Closing (the client left) may happen on any thread.
 */
final class CacheWatcher implements Storage.Watch {
  /** How often a watcher whose events are all filtered out tells its sink how far it has read (bookmarks). */
  static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

  private final WatchCache cache;
  private final EventWindow.Reader<CachedEvent> reader;
  private final WatchFilter filter;
  private final String keyPrefix;
  private final long afterRevision;
  private final WatchSource.Sink sink;
  private volatile boolean closed;
  private volatile boolean endRequested;
  // Owner thread only:
  private long reportedRevision;
  private long lastProgressNanos;
  private long delivered;
  private final java.util.ArrayList<WatchSource.Frame> batch = new java.util.ArrayList<>();

  CacheWatcher(WatchCache cache, EventWindow.Reader<CachedEvent> reader, WatchFilter filter, String keyPrefix,
               long afterRevision, WatchSource.Sink sink) {
    this.cache = cache;
    this.reader = reader;
    this.filter = filter;
    this.keyPrefix = keyPrefix;
    this.afterRevision = afterRevision;
    this.sink = sink;
    this.reportedRevision = afterRevision;
  }

  /**
   * Delivers up to {@code budget} events; returns how many it read (0: caught up or closed).
   * A watcher that fell out of the window is ended here and reports {@link #closed}.
   */
  int pump(int budget, long nowNanos) {
    if (closed) {
      return 0;
    }
    if (endRequested) {
      closed = true;
      sink.end();
      return 0;
    }
    if (!sink.ready()) {
      if (reader.behindWindow()) {
        terminate(); // its client stopped reading long enough for the window to move past it
      }
      return 0;
    }
    // Read the cache's revision before draining: when the drain then comes up empty, every event
    // up to that revision has been read, so reporting it as progress is true.
    long cacheRevision = cache.revision();
    int n = 0;
    while (n < budget) {
      CachedEvent e;
      try {
        e = reader.next();
      } catch (OverrunException lapped) {
        if (!batch.isEmpty()) {
          try {
            sink.events(batch); // what it did read before falling out of the window
          } finally {
            batch.clear();
          }
        }
        terminate();
        return n + 1;
      }
      if (e == null) {
        break;
      }
      n++;
      if (e.revision <= afterRevision || !e.key.startsWith(keyPrefix)) {
        continue;
      }
      WatchSource.Frame f = e.frameFor(filter);
      if (f != null) {
        batch.add(f);
        delivered++;
        reportedRevision = e.revision;
      }
    }
    if (!batch.isEmpty()) {
      try {
        sink.events(batch); // one write and one flush for what this watcher had pending
      } finally {
        batch.clear();
      }
    }
    if (n < budget && cacheRevision > reportedRevision && nowNanos - lastProgressNanos >= PROGRESS_INTERVAL_NANOS) {
      lastProgressNanos = nowNanos;
      reportedRevision = cacheRevision;
      sink.progress(cacheRevision);
    }
    return n;
  }

  private void terminate() {
    closed = true;
    cache.terminated(this);
    sink.end();
  }

  /**
   * Ends the watch because the cache itself had to start over (its store watch failed); the owner
   * thread tells the sink, on its next pump.
   */
  void requestEnd() {
    endRequested = true;
  }

  boolean closed() {
    return closed;
  }

  /** Events this watcher has sent. */
  long delivered() {
    return delivered;
  }

  /** Events published to the window and not yet read by this watcher. */
  long lag() {
    return reader.lag();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cache.closed(this);
    }
  }
}
