package io.kplane.apiserver;

import io.kplane.time.NanoClock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link WatchSource} backed by watch caches: one {@link WatchCache} per resource, started on
 * the resource's first watch, all served by one {@link WatchDispatcher}. Plug it in with
 * {@code ApiServer.Config.withWatchSource((storage, registry) -> new CachedWatchSource(storage))};
 * its metrics ({@link WatchCacheMetrics}) join the server's {@code /metrics}.
 */
public final class CachedWatchSource implements WatchSource, AutoCloseable {
  private final Storage storage;
  private final WatchDispatcher dispatcher;
  /** Times the caches' freshness window and the dispatcher's rounds and bookmarks. */
  private final NanoClock nanoClock;
  private final long freshNanos;
  private final int lowerBound;
  private final int upperBound;
  private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();

  /** Defaults: upstream's window sizing, one delivery thread per core (at most 2). */
  public CachedWatchSource(Storage storage) {
    this(storage, Math.min(2, Runtime.getRuntime().availableProcessors()), NanoClock.system(), WatchCache.FRESH_NANOS,
        EventWindow.LOWER_BOUND, EventWindow.UPPER_BOUND);
  }

  /** With explicit delivery threads, clock and window bounds (powers of two), for tests and benchmarks. */
  public CachedWatchSource(Storage storage, int dispatchThreads, NanoClock nanoClock, long freshNanos, int lowerBound,
                           int upperBound) {
    this.storage = storage;
    this.dispatcher = new WatchDispatcher(dispatchThreads, nanoClock);
    this.nanoClock = nanoClock;
    this.freshNanos = freshNanos;
    this.lowerBound = lowerBound;
    this.upperBound = upperBound;
  }

  @Override
  public Storage.Watch open(Request request, Sink sink) {
    return cache(request.type()).watch(request.namespace(), request.afterRevision(), request.filter(), sink);
  }

  /** The cache of one resource, created (not yet started) on first use. */
  WatchCache cache(ResourceType type) {
    return caches.computeIfAbsent(type.storagePrefix(),
        k -> new WatchCache(type, storage, dispatcher, nanoClock, freshNanos, lowerBound, upperBound));
  }

  /** A list of {@code type} served from its cache ({@link CachedList}). */
  Registry.ListResult list(Registry registry, ResourceType type, String namespace, Registry.ListOptions options) {
    return CachedList.list(cache(type), registry, type, namespace, options, CachedList.WAIT_NANOS);
  }

  Collection<WatchCache> caches() {
    return caches.values();
  }

  /** Appends the watch-cache metrics in Prometheus text format. */
  public void renderMetrics(StringBuilder out) {
    WatchCacheMetrics.render(caches.values(), out);
  }

  @Override
  public void close() {
    caches.values().forEach(WatchCache::close);
    dispatcher.close();
  }
}
