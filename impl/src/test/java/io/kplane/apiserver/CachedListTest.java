package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists served from the watch cache (KEP-2340 consistent reads): a list sees every write the
 * store acknowledged before it, including writes that never passed through this server and
 * revisions that moved only through other resources; resourceVersion=0, NotOlderThan, Exact,
 * limit/continue and selectors keep their meaning.
 */
class CachedListTest {
  static TestApiServer server;
  static TestHttp http;
  static final AtomicReference<CachedWatchSource> SOURCE = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true).withWatchSource((storage, registry) -> {
      CachedWatchSource s = new CachedWatchSource(storage);
      SOURCE.set(s);
      return s;
    });
    http = new TestHttp(server, true, false);
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"lists\"}}");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String pod(String name, String color) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"color\":\"" + color + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  static WatchCache podsCache() {
    return SOURCE.get().caches().stream().filter(c -> c.type().resource().equals("pods")).findFirst().orElseThrow();
  }

  static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  @Test
  void aConsistentListSeesWritesMadeBehindTheServersBackAndRevisionsMovedByOtherResources() throws Exception {
    http.json("GET", "/api/v1/namespaces/lists/pods", null); // starts the pods cache
    long readsBefore = podsCache().consistentReads.sum();
    long fallbacksBefore = podsCache().consistentReadFallbacks.sum();
    // a write straight to the store: the list must wait for the cache to see it
    byte[] direct = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"direct\",\"namespace\":\"lists\","
        + "\"uid\":\"u-direct\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}").getBytes(StandardCharsets.UTF_8);
    long written = server.storage.create("/registry/pods/lists/direct", direct).revision();
    JsonNode list = http.json("GET", "/api/v1/namespaces/lists/pods", null);
    assertThat(names(list)).contains("direct");
    assertThat(list.path("metadata").path("resourceVersion").asLong()).isGreaterThanOrEqualTo(written);
    // the store's revision moves through other resources only; the list still answers at it (progress request)
    for (int i = 0; i < 3; i++) {
      http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"other-" + i + "\"}}");
    }
    long storeRevision = server.storage.currentRevision();
    JsonNode after = http.json("GET", "/api/v1/namespaces/lists/pods", null);
    assertThat(after.path("metadata").path("resourceVersion").asLong()).isGreaterThanOrEqualTo(storeRevision);
    assertThat(podsCache().consistentReads.sum()).as("served from the cache").isGreaterThanOrEqualTo(readsBefore + 2);
    assertThat(podsCache().consistentReadFallbacks.sum()).as("never fell back to the store").isEqualTo(fallbacksBefore);
    // a write through the API, then a list: read-your-writes
    JsonNode created = http.json("POST", "/api/v1/namespaces/lists/pods", pod("mine", "red"));
    JsonNode again = http.json("GET", "/api/v1/pods", null);
    assertThat(names(again)).contains("mine", "direct");
    assertThat(again.path("metadata").path("resourceVersion").asLong())
        .isGreaterThanOrEqualTo(created.path("metadata").path("resourceVersion").asLong());
    // deletes are seen too
    server.storage.delete("/registry/pods/lists/direct", server.storage.get("/registry/pods/lists/direct").modRevision());
    assertThat(names(http.json("GET", "/api/v1/namespaces/lists/pods", null))).doesNotContain("direct");
  }

  @Test
  void pagesComeFromOneSnapshotAndSelectorsFilterTheCache() throws Exception {
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"pages\"}}");
    for (int i = 0; i < 7; i++) {
      http.json("POST", "/api/v1/namespaces/pages/pods", pod("p" + i, i % 2 == 0 ? "blue" : "green"));
    }
    JsonNode first = http.json("GET", "/api/v1/namespaces/pages/pods?limit=3", null);
    assertThat(names(first)).containsExactly("p0", "p1", "p2");
    assertThat(first.path("metadata").path("remainingItemCount").asLong()).isEqualTo(4);
    String rv = first.path("metadata").path("resourceVersion").asText();
    // changes after the first page are not in the later pages: the continuation reads the store at rv
    http.json("POST", "/api/v1/namespaces/pages/pods", pod("p3a", "blue"));
    http.send("DELETE", "/api/v1/namespaces/pages/pods/p5", null, null);
    List<String> all = new ArrayList<>(names(first));
    String token = first.path("metadata").path("continue").asText();
    while (!token.isEmpty()) {
      JsonNode page = http.json("GET", "/api/v1/namespaces/pages/pods?limit=3&continue=" + token, null);
      assertThat(page.path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
      all.addAll(names(page));
      token = page.path("metadata").path("continue").asText();
    }
    assertThat(all).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
    // a fresh list sees the changes
    assertThat(names(http.json("GET", "/api/v1/namespaces/pages/pods", null))).contains("p3a").doesNotContain("p5");

    JsonNode blue = http.json("GET", "/api/v1/namespaces/pages/pods?labelSelector=color%3Dblue&limit=2", null);
    assertThat(names(blue)).containsExactly("p0", "p2");
    assertThat(blue.path("metadata").has("remainingItemCount")).isFalse();
    JsonNode blueRest = http.json("GET", "/api/v1/namespaces/pages/pods?labelSelector=color%3Dblue&limit=2&continue="
        + blue.path("metadata").path("continue").asText(), null);
    assertThat(names(blueRest)).containsExactly("p3a", "p4");
    JsonNode byName = http.json("GET", "/api/v1/pods?fieldSelector=metadata.name%3Dp6", null);
    assertThat(names(byName)).containsExactly("p6");
    assertThat(names(http.json("GET", "/api/v1/namespaces/pages/pods?labelSelector=color%3Dgreen", null)))
        .containsExactly("p1", "p3");
  }

  @Test
  void resourceVersionZeroNotOlderThanAndExactKeepTheirMeaning() throws Exception {
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"versions\"}}");
    JsonNode a = http.json("POST", "/api/v1/namespaces/versions/pods", pod("a", "blue"));
    long aRv = a.path("metadata").path("resourceVersion").asLong();
    JsonNode zero = http.json("GET", "/api/v1/namespaces/versions/pods?resourceVersion=0", null);
    assertThat(zero.path("metadata").path("resourceVersion").asLong()).isPositive();
    JsonNode notOlder = http.json("GET", "/api/v1/namespaces/versions/pods?resourceVersion=" + aRv, null);
    assertThat(names(notOlder)).contains("a");
    assertThat(notOlder.path("metadata").path("resourceVersion").asLong()).isGreaterThanOrEqualTo(aRv);
    http.json("POST", "/api/v1/namespaces/versions/pods", pod("b", "blue"));
    JsonNode exact = http.json("GET", "/api/v1/namespaces/versions/pods?resourceVersion=" + aRv + "&resourceVersionMatch=Exact", null);
    assertThat(names(exact)).containsExactly("a");
    assertThat(exact.path("metadata").path("resourceVersion").asLong()).isEqualTo(aRv);
    HttpResponse<String> future = http.send("GET", "/api/v1/namespaces/versions/pods?resourceVersion=" + (aRv + 1_000_000), null, null);
    assertThat(future.statusCode()).isEqualTo(504);
    assertThat(future.body()).contains("Too large resource version");
  }
}
