package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole watch protocol suite of {@link WatchProtocolTest} (every watcher's stream against the
 * acknowledged history, selector transitions, resume, bookmarks, sendInitialEvents, timeouts) over
 * HTTPS with real sockets, served by the watch cache ({@link CachedWatchSource}) instead of one
 * store watch per request. One difference is the cache's by design, as upstream's: a resume is
 * refused with 410 when the cache's window no longer reaches its resourceVersion, whatever the
 * store has compacted.
 */
class WatchProtocolCachedTest extends WatchProtocolTest {

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true).withBookmarkInterval(Duration.ofMillis(300))
        .withWatchSource((storage, registry) -> new CachedWatchSource(storage, 2, System::nanoTime, WatchCache.FRESH_NANOS, 8, 4096));
    http = new TestHttp(server, true, false);
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w1\"}}");
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w2\"}}");
  }

  @Override
  @Test
  void watchFromACompactedResourceVersionIsGone() throws Exception {
    // Its own server with a fixed window of 8 events, so that the window moves past `old`.
    try (TestApiServer small = new TestApiServer(new EmbeddedStorage(), true)
        .withWatchSource((storage, registry) -> new CachedWatchSource(storage, 1, System::nanoTime, 1, 8, 8))) {
      TestHttp h = new TestHttp(small, true, false);
      h.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w1\"}}");
      JsonNode p = h.json("POST", "/api/v1/namespaces/w1/pods", pod("old", "blue"));
      long old = p.path("metadata").path("resourceVersion").asLong();
      // Start the pods cache at `old`, then move its window past it.
      assertThat(h.send("GET", "/api/v1/pods?watch=true&resourceVersion=" + old + "&timeoutSeconds=1", null, null).statusCode())
          .isEqualTo(200);
      for (int i = 0; i < 12; i++) {
        h.send("PATCH", "/api/v1/namespaces/w1/pods/old", "{\"metadata\":{\"labels\":{\"x\":\"" + i + "\"}}}",
            "application/merge-patch+json");
      }
      small.storage.compact(small.storage.currentRevision());
      HttpResponse<String> r = h.send("GET", "/api/v1/pods?watch=true&resourceVersion=" + old, null, null);
      assertThat(r.statusCode()).isEqualTo(410);
      JsonNode status = Registry.JSON.readTree(r.body());
      assertThat(status.path("reason").asText()).isEqualTo("Expired");
      assertThat(status.path("code").asInt()).isEqualTo(410);
    }
  }
}
