package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import io.kplane.time.NanoClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The watch cache of one resource (upstream's cacher + watchCache): one store watch keeps the
 * current objects and an {@link EventWindow} of recent changes; every watch of the resource is a
 * {@link CacheWatcher} reading that window through its own cursor, moved by the shared
 * {@link WatchDispatcher}. Each change is decoded once here and serialized at most once per form
 * ({@link CachedEvent}), however many watchers receive it.
 *
 * <p>Threads: the store's watch thread is the single writer ({@link #onEvent}); it holds
 * {@link #lock} only for the map update and the append, which is also what registrations and list
 * snapshots hold to see the two consistently. Delivery takes no lock at all.
 *
 * <p>Semantics: a watch from resourceVersion {@code R} gets every change after {@code R}; when the
 * window no longer reaches back to {@code R} it is refused with 410 Expired (the client relists). A
 * watcher that falls behind by more than the window is ended, never waited for. Lists are served
 * consistently ({@link #snapshot}): they wait until the cache has seen the store's current
 * revision, as KEP-2340 does, or report that it did not within the deadline.
 */
final class WatchCache {
  /** Upstream's eventFreshDuration: a watcher can resume from any version of the last 75 s (if the upper bound allows). */
  static final long FRESH_NANOS = 75_000_000_000L;

  private final ResourceType type;
  private final Storage storage;
  private final WatchDispatcher dispatcher;
  private final NanoClock nanoClock;
  private final long freshNanos;
  private final int lowerBound;
  private final int upperBound;
  private final Object lock = new Object();
  // Guarded by lock:
  private final TreeMap<String, ObjectNode> objects = new TreeMap<>();
  private EventWindow<CachedEvent> window;
  private int waiters;
  /** The cache holds every change up to this revision (volatile: watchers read it without the lock). */
  private volatile long revision;
  private volatile boolean failed;
  private volatile Storage.Watch storeWatch;

  private final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
  private final Map<String, WatchFilter> filters = new ConcurrentHashMap<>();

  // Metrics (names in WatchCacheMetrics).
  final LongAdder eventsReceived = new LongAdder();
  final AtomicLong initializations = new AtomicLong();
  final LongAdder terminatedWatchers = new LongAdder();
  final LongAdder consistentReads = new LongAdder();
  final LongAdder consistentReadFallbacks = new LongAdder();
  final LongAdder tooOld = new LongAdder();
  private final AtomicLong resizesUp = new AtomicLong();
  private final AtomicLong resizesDown = new AtomicLong();
  private final LongAdder retiredDelivered = new LongAdder();

  WatchCache(ResourceType type, Storage storage, WatchDispatcher dispatcher, NanoClock nanoClock, long freshNanos,
             int lowerBound, int upperBound) {
    this.type = type;
    this.storage = storage;
    this.dispatcher = dispatcher;
    this.nanoClock = nanoClock;
    this.freshNanos = freshNanos;
    this.lowerBound = lowerBound;
    this.upperBound = upperBound;
  }

  ResourceType type() {
    return type;
  }

  /**
   * Lists the resource and starts the store watch after that list, if not running (first use, or
   * after the store watch failed). Blocks on the store: call from a worker thread.
   */
  synchronized void ensureStarted() {
    if (window != null && !failed) {
      return;
    }
    String prefix = type.storagePrefix();
    Storage.Page page = storage.list(prefix, null, 0, 0);
    synchronized (lock) {
      objects.clear();
      for (Storage.KeyValue kv : page.kvs()) {
        objects.put(kv.key(), Registry.decode(kv));
      }
      window = new EventWindow<>(CachedEvent::revision, page.revision(), freshNanos, lowerBound, upperBound);
      revision = page.revision();
      failed = false;
    }
    initializations.incrementAndGet();
    storeWatch = storage.watch(prefix, page.revision(), new Storage.WatchListener() {
      @Override
      public void onEvent(Storage.Event event) {
        WatchCache.this.onEvent(event);
      }

      @Override
      public void onProgress(long rev) {
        advanceTo(rev);
      }

      @Override
      public void onError(Throwable error) {
        fail();
      }
    });
  }

  /** The writer: one change from the store watch, in revision order. */
  void onEvent(Storage.Event e) {
    ObjectNode current = e.type() == Storage.Event.Type.PUT ? Registry.decode(e.value(), e.revision()) : null;
    long now = nanoClock.nanoTime();
    synchronized (lock) {
      if (e.revision() < revision || window == null) {
        return; // already applied (a store watch may replay from its start revision)
      }
      ObjectNode previous = current == null ? objects.remove(e.key()) : objects.put(e.key(), current);
      if (previous == null && e.prevValue() != null) {
        previous = Registry.decode(e.prevValue(), e.revision());
      }
      if (current != null || previous != null) {
        window.append(new CachedEvent(e.revision(), e.key(), current, previous), now);
      }
      revision = e.revision();
      if (waiters > 0) {
        lock.notifyAll();
      }
      resizesUp.set(window.resizesUp());
      resizesDown.set(window.resizesDown());
    }
    eventsReceived.increment();
    dispatcher.signal();
  }

  /** The store says every change up to {@code rev} has been sent (progress notification). */
  void advanceTo(long rev) {
    synchronized (lock) {
      if (rev > revision) {
        revision = rev;
        if (waiters > 0) {
          lock.notifyAll();
        }
      }
    }
    dispatcher.signal();
  }

  private void fail() {
    failed = true;
    Storage.Watch w = storeWatch;
    if (w != null) {
      w.close();
    }
    for (CacheWatcher c : watchers) {
      c.requestEnd();
    }
    watchers.clear();
    dispatcher.signal();
  }

  /**
   * Opens a watch of this resource ({@code namespace} null: all) after {@code afterRevision}.
   *
   * @throws ApiException 410 Expired when the window does not reach back to {@code afterRevision}
   */
  CacheWatcher watch(String namespace, long afterRevision, Registry.ListOptions options, WatchSource.Sink sink) {
    ensureStarted();
    CacheWatcher w = register(namespace, afterRevision, options, sink);
    dispatcher.add(w);
    return w;
  }

  /** A watcher positioned after {@code afterRevision}, not yet handed to the dispatcher (benchmarks pump it themselves). */
  CacheWatcher register(String namespace, long afterRevision, Registry.ListOptions options, WatchSource.Sink sink) {
    WatchFilter filter = filters.computeIfAbsent(WatchFilter.key(options), k -> new WatchFilter(type, options));
    CacheWatcher w;
    synchronized (lock) {
      long oldest = window.oldestKeptAfter();
      if (afterRevision < oldest) {
        tooOld.increment();
        throw new ApiException(Status.expired("too old resource version: " + afterRevision + " (" + oldest + ")"));
      }
      w = new CacheWatcher(this, window.readerAfter(afterRevision), filter, type.storagePrefix(namespace), afterRevision, sink);
      watchers.add(w);
    }
    return w;
  }

  /** A watcher left (client gone or timed out). */
  void closed(CacheWatcher w) {
    if (watchers.remove(w)) {
      retire(w);
    }
  }

  /** A watcher fell out of the window and was ended. */
  void terminated(CacheWatcher w) {
    terminatedWatchers.increment();
    closed(w);
  }

  private void retire(CacheWatcher w) {
    retiredDelivered.add(w.delivered());
  }

  /** A consistent list: the objects under {@code prefix} as of {@link Snapshot#revision}. */
  record Snapshot(List<ObjectNode> items, long revision) {
  }

  /**
   * The objects under {@code prefix} once the cache has reached {@code minRevision} (the store's
   * current revision, for a consistent read); null when it did not within {@code timeoutNanos}
   * (the caller then reads the store).
   */
  Snapshot snapshot(String prefix, long minRevision, long timeoutNanos) throws InterruptedException {
    ensureStarted();
    long deadline = nanoClock.nanoTime() + timeoutNanos;
    Storage.Watch w = storeWatch;
    if (revision < minRevision && w != null) {
      w.requestProgress(); // the store may have moved on through other keys only
    }
    synchronized (lock) {
      waiters++;
      try {
        while (revision < minRevision) {
          long left = deadline - nanoClock.nanoTime();
          if (left <= 0 || failed) {
            consistentReadFallbacks.increment();
            return null;
          }
          lock.wait(Math.max(1, left / 1_000_000));
        }
      } finally {
        waiters--;
      }
      consistentReads.increment();
      List<ObjectNode> items = new ArrayList<>();
      for (Map.Entry<String, ObjectNode> e : objects.tailMap(prefix, true).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        items.add(e.getValue());
      }
      return new Snapshot(items, revision);
    }
  }

  /** Every change up to this revision is in the cache. */
  long revision() {
    return revision;
  }

  int capacity() {
    synchronized (lock) {
      return window == null ? 0 : window.capacity();
    }
  }

  long windowSize() {
    synchronized (lock) {
      return window == null ? 0 : window.size();
    }
  }

  int objectCount() {
    synchronized (lock) {
      return objects.size();
    }
  }

  long resizesUp() {
    return resizesUp.get();
  }

  long resizesDown() {
    return resizesDown.get();
  }

  int watcherCount() {
    return watchers.size();
  }

  /** Events sent to watchers, all of them (approximate while they run). */
  long eventsDispatched() {
    long n = retiredDelivered.sum();
    for (CacheWatcher w : watchers) {
      n += w.delivered();
    }
    return n;
  }

  void close() {
    Storage.Watch w = storeWatch;
    if (w != null) {
      w.close();
    }
    for (CacheWatcher c : watchers) {
      c.requestEnd();
    }
    dispatcher.signal();
  }
}
