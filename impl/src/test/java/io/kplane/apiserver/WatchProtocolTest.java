package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watch protocol over HTTP (and over a WebSocket) against the embedded store: every watcher's stream equals the store's
 * history (no loss, no duplicate, no reordering) from its start revision, selector transitions,
 * resuming, 410 after compaction, bookmarks, sendInitialEvents and timeoutSeconds.
 */
class WatchProtocolTest {
  static TestApiServer server;
  static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true).withBookmarkInterval(Duration.ofMillis(300));
    http = new TestHttp(server, true, false);
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w1\"}}");
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w2\"}}");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String pod(String name, String color) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"color\":\"" + color + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";
  }

  /** One acknowledged write: what a watcher must see. */
  record Change(String type, String key, long rv, String color) {
  }

  static String key(JsonNode o) {
    return o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText();
  }

  @Test
  void everyWatcherSeesExactlyTheHistoryAfterItsStartInOrder() throws Exception {
    Random random = new Random(42);
    List<Change> history = new ArrayList<>();
    Map<String, String> live = new HashMap<>(); // key -> color
    long start = http.json("GET", "/api/v1/pods", null).path("metadata").path("resourceVersion").asLong();
    try (TestHttp.Watch all = http.watch("/api/v1/pods?watch=true&resourceVersion=" + start);
         TestHttp.Watch red = http.watch("/api/v1/pods?watch=true&resourceVersion=" + start + "&labelSelector=color%3Dred");
         TestHttp.Watch inW1 = http.watch("/api/v1/namespaces/w1/pods?watch=true&resourceVersion=" + start)) {
      for (int i = 0; i < 300; i++) {
        String ns = random.nextBoolean() ? "w1" : "w2";
        String name = "p" + random.nextInt(15);
        String key = ns + "/" + name;
        String color = random.nextBoolean() ? "red" : "blue";
        JsonNode o;
        String type;
        if (!live.containsKey(key)) {
          o = http.json("POST", "/api/v1/namespaces/" + ns + "/pods", pod(name, color));
          type = "ADDED";
          live.put(key, color);
        } else if (random.nextInt(3) == 0) {
          o = http.json("DELETE", "/api/v1/namespaces/" + ns + "/pods/" + name, null);
          type = "DELETED";
          color = live.remove(key);
        } else {
          HttpResponse<String> r = http.send("PATCH", "/api/v1/namespaces/" + ns + "/pods/" + name,
              "{\"metadata\":{\"labels\":{\"color\":\"" + color + "\",\"n\":\"" + i + "\"}}}", "application/merge-patch+json");
          o = Registry.JSON.readTree(r.body());
          type = "MODIFIED";
          history.add(new Change(type, key, o.path("metadata").path("resourceVersion").asLong(), color + "|" + live.get(key)));
          live.put(key, color);
          continue;
        }
        history.add(new Change(type, key, o.path("metadata").path("resourceVersion").asLong(), color));
      }
      // expected streams
      List<String> expectAll = new ArrayList<>();
      List<String> expectRed = new ArrayList<>();
      List<String> expectW1 = new ArrayList<>();
      for (Change c : history) {
        String line = c.type + " " + c.key + " " + c.rv;
        expectAll.add(line);
        if (c.key.startsWith("w1/")) {
          expectW1.add(line);
        }
        if (c.type.equals("MODIFIED")) {
          String[] nowBefore = c.color.split("\\|");
          boolean now = nowBefore[0].equals("red");
          boolean before = nowBefore[1].equals("red");
          if (now && before) {
            expectRed.add(line);
          } else if (now) {
            expectRed.add("ADDED " + c.key + " " + c.rv);
          } else if (before) {
            expectRed.add("DELETED " + c.key + " " + c.rv);
          }
        } else if (c.color.equals("red")) {
          expectRed.add(line);
        }
      }
      assertThat(read(all, expectAll.size())).containsExactlyElementsOf(expectAll);
      assertThat(read(red, expectRed.size())).containsExactlyElementsOf(expectRed);
      assertThat(read(inW1, expectW1.size())).containsExactlyElementsOf(expectW1);
      // a watcher resuming from the middle of the history sees exactly the rest
      Change middle = history.get(history.size() / 2);
      try (TestHttp.Watch resumed = http.watch("/api/v1/pods?watch=true&resourceVersion=" + middle.rv)) {
        List<String> rest = expectAll.subList(history.size() / 2 + 1, expectAll.size());
        assertThat(read(resumed, rest.size())).containsExactlyElementsOf(rest);
      }
    }
  }

  /** The next n non-bookmark events as "TYPE ns/name rv". */
  static List<String> read(TestHttp.Watch w, int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      JsonNode e = w.next();
      String type = e.path("type").asText();
      if (type.equals("BOOKMARK")) {
        continue;
      }
      if (type.equals("END") || type.equals("ERROR")) {
        throw new AssertionError("stream ended after " + out.size() + " of " + n + " events: " + e);
      }
      out.add(type + " " + key(e.path("object")) + " " + e.path("object").path("metadata").path("resourceVersion").asLong());
    }
    return out;
  }

  @Test
  void watchFromACompactedResourceVersionIsGone() throws Exception {
    JsonNode p = http.json("POST", "/api/v1/namespaces/w1/pods", pod("old", "blue"));
    long old = p.path("metadata").path("resourceVersion").asLong();
    http.send("PATCH", "/api/v1/namespaces/w1/pods/old", "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}", "application/merge-patch+json");
    server.storage.compact(server.storage.currentRevision());
    HttpResponse<String> r = http.send("GET", "/api/v1/pods?watch=true&resourceVersion=" + (old - 1), null, null);
    assertThat(r.statusCode()).isEqualTo(410);
    JsonNode status = Registry.JSON.readTree(r.body());
    assertThat(status.path("reason").asText()).isEqualTo("Expired");
    assertThat(status.path("code").asInt()).isEqualTo(410);
    HttpResponse<String> list = http.send("GET", "/api/v1/pods?resourceVersion=" + (old - 1) + "&resourceVersionMatch=Exact", null, null);
    assertThat(list.statusCode()).isEqualTo(410);
  }

  /** Opens a watch over a WebSocket (as fabric8 does) and collects one JSON event per text message. */
  static java.net.http.WebSocket webSocketWatch(String path, java.util.concurrent.BlockingQueue<JsonNode> events,
                                               java.util.concurrent.CompletableFuture<Integer> closed) throws Exception {
    java.net.URI uri = java.net.URI.create(server.url().replaceFirst("^https", "wss") + path);
    return http.client.newWebSocketBuilder().header("Authorization", "Bearer " + server.token).buildAsync(uri, new java.net.http.WebSocket.Listener() {
      final StringBuilder text = new StringBuilder();

      @Override
      public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          try {
            events.add(Registry.JSON.readTree(text.toString()));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status, String reason) {
        closed.complete(status);
        return null;
      }
    }).get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void watchOverAWebSocketSendsOneEventPerMessageAndAnExpiredVersionAsAnErrorEvent() throws Exception {
    long now = http.json("GET", "/api/v1/pods", null).path("metadata").path("resourceVersion").asLong();
    var events = new java.util.concurrent.LinkedBlockingQueue<JsonNode>();
    var closed = new java.util.concurrent.CompletableFuture<Integer>();
    java.net.http.WebSocket ws = webSocketWatch("/api/v1/namespaces/w2/pods?watch=true&resourceVersion=" + now, events, closed);
    http.json("POST", "/api/v1/namespaces/w2/pods", pod("ws1", "red"));
    http.send("PATCH", "/api/v1/namespaces/w2/pods/ws1", "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}", "application/merge-patch+json");
    JsonNode added = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    JsonNode modified = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(added).isNotNull();
    assertThat(added.path("type").asText()).isEqualTo("ADDED");
    assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("ws1");
    assertThat(modified).isNotNull();
    assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
    ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").get(30, java.util.concurrent.TimeUnit.SECONDS);

    // compacted away (and older than any watch cache's window): upgraded, then one ERROR event
    // carrying the 410 Status, then the close
    server.storage.compact(server.storage.currentRevision());
    var gone = new java.util.concurrent.LinkedBlockingQueue<JsonNode>();
    var goneClosed = new java.util.concurrent.CompletableFuture<Integer>();
    webSocketWatch("/api/v1/namespaces/w2/pods?watch=true&resourceVersion=1", gone, goneClosed);
    JsonNode error = gone.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(error).isNotNull();
    assertThat(error.path("type").asText()).isEqualTo("ERROR");
    assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
    assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
    assertThat(goneClosed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(java.net.http.WebSocket.NORMAL_CLOSURE);
  }

  @Test
  void sendInitialEventsEndsWithTheAnnotatedBookmarkAndBookmarksFollow() throws Exception {
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w3\"}}");
    http.json("POST", "/api/v1/namespaces/w3/pods", pod("a", "red"));
    http.json("POST", "/api/v1/namespaces/w3/pods", pod("b", "red"));
    try (TestHttp.Watch w = http.watch("/api/v1/namespaces/w3/pods?watch=true&sendInitialEvents=true"
        + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")) {
      assertThat(w.status).isEqualTo(200);
      List<String> names = new ArrayList<>();
      names.add(w.next().path("object").path("metadata").path("name").asText());
      names.add(w.next().path("object").path("metadata").path("name").asText());
      assertThat(names).containsExactlyInAnyOrder("a", "b");
      JsonNode end = w.next();
      assertThat(end.path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(end.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText()).isEqualTo("true");
      long endRv = end.path("object").path("metadata").path("resourceVersion").asLong();
      JsonNode c = http.json("POST", "/api/v1/namespaces/w3/pods", pod("c", "red"));
      JsonNode added = w.next();
      while (added.path("type").asText().equals("BOOKMARK")) {
        added = w.next();
      }
      assertThat(added.path("type").asText()).isEqualTo("ADDED");
      assertThat(added.path("object").path("metadata").path("resourceVersion").asLong())
          .isEqualTo(c.path("metadata").path("resourceVersion").asLong()).isGreaterThan(endRv);
      JsonNode bookmark = w.next();
      assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(bookmark.path("object").path("metadata").path("resourceVersion").asLong())
          .isGreaterThanOrEqualTo(c.path("metadata").path("resourceVersion").asLong());
    }
  }

  @Test
  void legacyWatchWithoutResourceVersionStartsWithTheCurrentObjectsAndTimesOut() throws Exception {
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w4\"}}");
    http.json("POST", "/api/v1/namespaces/w4/pods", pod("x", "red"));
    try (TestHttp.Watch w = http.watch("/api/v1/namespaces/w4/pods?watch=true&timeoutSeconds=1")) {
      JsonNode first = w.next();
      assertThat(first.path("type").asText()).isEqualTo("ADDED");
      assertThat(first.path("object").path("metadata").path("name").asText()).isEqualTo("x");
      assertThat(w.next().path("type").asText()).isEqualTo("END");
    }
  }
}
