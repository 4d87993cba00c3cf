package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consistent lists from the watch cache (KEP-2340): a snapshot waits until the cache has seen the
 * revision the store is at, then holds exactly the objects the store holds at that revision; when
 * the cache cannot get there in time the caller is told to read the store instead.
 */
class WatchCacheSnapshotTest {
  private final EmbeddedStorage storage = new EmbeddedStorage();
  private final ResourceType pods = Resources.builtIn().find("", "v1", "pods");
  private final CachedWatchSource source = new CachedWatchSource(storage, 1, System::nanoTime, WatchCache.FRESH_NANOS, 8, 64);

  @AfterEach
  void close() {
    source.close();
    storage.close();
  }

  private static byte[] pod(String ns, String name) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSnapshotAtTheStoresRevisionHoldsWhatTheStoreHolds() throws Exception {
    WatchCache cache = source.cache(pods);
    cache.ensureStarted();
    for (int i = 0; i < 30; i++) {
      storage.create(pods.storageKey(i % 2 == 0 ? "a" : "b", "p" + i), pod(i % 2 == 0 ? "a" : "b", "p" + i));
    }
    Storage.KeyValue gone = storage.get(pods.storageKey("a", "p4"));
    storage.delete(gone.key(), gone.modRevision());
    long now = storage.currentRevision();
    WatchCache.Snapshot s = cache.snapshot(pods.storagePrefix("a"), now, TimeUnit.SECONDS.toNanos(30));
    assertThat(s).isNotNull();
    assertThat(s.revision()).isGreaterThanOrEqualTo(now);
    Storage.Page truth = storage.list(pods.storagePrefix("a"), null, 0, s.revision());
    assertThat(s.items()).extracting(o -> o.path("metadata").path("name").asText() + "@" + o.path("metadata").path("resourceVersion").asText())
        .containsExactlyElementsOf(truth.kvs().stream().map(kv -> Registry.decode(kv).path("metadata").path("name").asText() + "@"
            + kv.modRevision()).toList());
    assertThat(s.items()).hasSize(14);
  }

  @Test
  void aRevisionReachedThroughOtherResourcesIsReachedByAProgressRequestAndOneBeyondTheStoreFallsBack() throws Exception {
    WatchCache cache = source.cache(pods);
    cache.ensureStarted();
    // A write to another resource moves the store's revision; the pods cache sees no event for it,
    // so the snapshot asks the store for a progress notification, which brings the cache there.
    storage.create("/registry/configmaps/a/x", "{}".getBytes(StandardCharsets.UTF_8));
    long now = storage.currentRevision();
    assertThat(cache.snapshot(pods.storagePrefix("a"), now, TimeUnit.SECONDS.toNanos(30))).isNotNull()
        .extracting(WatchCache.Snapshot::items).isEqualTo(List.of());
    assertThat(cache.revision()).isGreaterThanOrEqualTo(now);
    assertThat(cache.consistentReadFallbacks.sum()).isZero();
    // A revision the store has not reached cannot be reached in time: the caller is told to fall back.
    assertThat(cache.snapshot(pods.storagePrefix("a"), now + 5, TimeUnit.MILLISECONDS.toNanos(50))).isNull();
    assertThat(cache.consistentReadFallbacks.sum()).isEqualTo(1);
  }
}
