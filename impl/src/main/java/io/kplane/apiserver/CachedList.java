package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists served from a {@link WatchCache}, as kube-apiserver does with consistent reads from cache
 * (KEP-2340):
 * <ul>
 *   <li>{@code resourceVersion} unset: a consistent read. The store's current revision is read,
 *       the cache waits (asking the store for a progress notification) until it has seen that
 *       revision, then answers from its objects. Not caught up within the deadline: the list is
 *       read from the store instead.</li>
 *   <li>{@code resourceVersion=0}: whatever the cache holds now, at once.</li>
 *   <li>{@code resourceVersion=N} (NotOlderThan): the cache once it has reached N; not within the
 *       deadline: 504 Timeout, "Too large resource version", as upstream.</li>
 *   <li>{@code resourceVersionMatch=Exact} and {@code continue}: the store, at the revision asked
 *       for (the cache holds only the current state).</li>
 * </ul>
 * Selectors filter the cached objects; with {@code limit} the first page comes from the cache and
 * its continue token names the cache's revision, so the next pages are read from the store at
 * that same revision (MVCC) and the whole list stays one consistent snapshot.
 */
final class CachedList {
  /** Upstream's wait for the cache to catch up (blockTimeout of the cacher). */
  static final long WAIT_NANOS = 3_000_000_000L;

  private CachedList() {
  }

  static Registry.ListResult list(WatchCache cache, Registry registry, ResourceType t, String ns, Registry.ListOptions opts,
                                  long waitNanos) {
    if (!opts.continueToken().isEmpty() || opts.resourceVersionMatch().equals("Exact")) {
      return registry.list(t, ns, opts);
    }
    String rv = opts.resourceVersion();
    boolean consistent = rv.isEmpty();
    long minRevision = consistent ? registry.storage().currentRevision() : rv.equals("0") ? 0 : Registry.parseRv(rv);
    String prefix = t.storagePrefix(ns);
    WatchCache.Snapshot snapshot;
    try {
      snapshot = cache.snapshot(prefix, minRevision, waitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(Status.failure(503, "ServiceUnavailable", "interrupted while waiting for the watch cache", null));
    }
    if (snapshot == null) {
      if (consistent || rv.equals("0")) {
        return registry.list(t, ns, opts); // the cache is behind or failed: the store answers
      }
      throw new ApiException(Status.failure(504, "Timeout", "Too large resource version: " + minRevision + ", current: "
          + cache.revision(), null));
    }
    List<ObjectNode> items = new ArrayList<>();
    long limit = opts.limit();
    int matched = 0;
    String lastKey = null;
    boolean more = false;
    for (ObjectNode o : snapshot.items()) {
      if (!registry.matches(t, opts, o)) {
        continue;
      }
      matched++;
      if (limit > 0 && items.size() >= limit) {
        more = true;
        if (!opts.matchesEverything()) {
          break; // remainingItemCount is only reported for unfiltered lists
        }
        continue;
      }
      items.add(o.deepCopy()); // the cache's objects are shared: the response must not alias them
      lastKey = t.storageKey(o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText());
    }
    String token = "";
    Long remaining = null;
    if (more) {
      token = new Registry.Continue(snapshot.revision(), lastKey + "\u0000").encode(prefix);
      if (opts.matchesEverything()) {
        remaining = (long) (matched - items.size());
      }
    }
    return new Registry.ListResult(items, snapshot.revision(), token, remaining);
  }
}
