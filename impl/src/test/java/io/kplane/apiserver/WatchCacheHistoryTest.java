package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every watcher's stream from the watch cache, checked against the store's own history: the
 * events a watch of the raw store saw, filtered by upstream's rule for that watcher (namespace,
 * label and field selectors; ADDED when an object starts matching, DELETED when it stops). No
 * loss, no duplicate, no reordering — for watchers started at the beginning, from revisions in the
 * middle, watchers ended for falling out of the window (their received prefix must still be
 * exact) and their re-watch; and a resume from a resourceVersion the window no longer holds, after
 * the store compacted it, is refused with 410 Expired.
 */
class WatchCacheHistoryTest {
  private final EmbeddedStorage storage = new EmbeddedStorage();
  private final ResourceType pods = Resources.builtIn().find("", "v1", "pods");
  private CachedWatchSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    storage.close();
  }

  /** A sink that records what it receives. */
  static final class Recording implements WatchSource.Sink {
    final List<WatchSource.Frame> frames = new CopyOnWriteArrayList<>();
    volatile Status error;
    volatile boolean ended;
    final long sleepMillisPerEvent;

    Recording(long sleepMillisPerEvent) {
      this.sleepMillisPerEvent = sleepMillisPerEvent;
    }

    @Override
    public void event(WatchSource.Frame frame) {
      frames.add(frame);
      if (sleepMillisPerEvent > 0) {
        try {
          Thread.sleep(sleepMillisPerEvent);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void progress(long revision) {
    }

    @Override
    public void error(Status status) {
      error = status;
    }

    @Override
    public void end() {
      ended = true;
    }

    long lastRevision(long start) {
      return frames.isEmpty() ? start : frames.get(frames.size() - 1).revision();
    }
  }

  /** One watcher under test: what it asked for and what it got. */
  record Watcher(String namespace, Map<String, String> query, long after, Recording sink) {
  }

  private static byte[] pod(String ns, String name, String app, int generation) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
        + "\",\"labels\":{\"app\":\"" + app + "\"},\"annotations\":{\"g\":\"" + generation + "\"}},\"spec\":{\"nodeName\":\"n"
        + (generation % 3) + "\"}}").getBytes(StandardCharsets.UTF_8);
  }

  /** Random creates, relabels (in and out of selectors) and deletes of 24 pods in two namespaces. */
  private void write(Random random, int writes) {
    for (int i = 0; i < writes; i++) {
      String ns = random.nextBoolean() ? "a" : "b";
      String name = "p" + random.nextInt(12);
      String key = pods.storageKey(ns, name);
      Storage.KeyValue cur = storage.get(key);
      String app = random.nextBoolean() ? "x" : "y";
      if (cur == null) {
        assertThat(storage.create(key, pod(ns, name, app, i)).succeeded()).isTrue();
      } else if (random.nextInt(4) == 0) {
        assertThat(storage.delete(key, cur.modRevision()).succeeded()).isTrue();
      } else {
        assertThat(storage.update(key, pod(ns, name, app, i), cur.modRevision()).succeeded()).isTrue();
      }
    }
  }

  /** What upstream's filtered watch delivers for these store events: "TYPE ns/name@revision rv=...". */
  private List<String> expected(List<Storage.Event> history, Watcher w) {
    Registry.ListOptions opts = Registry.ListOptions.of(pods, w.query);
    WatchFilter filter = new WatchFilter(pods, opts);
    String prefix = pods.storagePrefix(w.namespace);
    List<String> out = new ArrayList<>();
    for (Storage.Event e : history) {
      if (e.revision() <= w.after || !e.key().startsWith(prefix)) {
        continue;
      }
      ObjectNode cur = e.value() == null ? null : Registry.decode(e.value(), e.revision());
      ObjectNode prev = e.prevValue() == null ? null : Registry.decode(e.prevValue(), e.revision());
      boolean c = cur != null && filter.matches(cur);
      boolean p = prev != null && filter.matches(prev);
      String type = c ? (p ? "MODIFIED" : "ADDED") : p ? "DELETED" : null;
      if (type != null) {
        ObjectNode o = c ? cur : prev;
        out.add(describe(type, o, e.revision()));
      }
    }
    return out;
  }

  private static String describe(String type, ObjectNode o, long revision) {
    return type + " " + o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText() + "@"
        + revision + " rv=" + o.path("metadata").path("resourceVersion").asText() + " g="
        + o.path("metadata").path("annotations").path("g").asText() + " app="
        + o.path("metadata").path("labels").path("app").asText();
  }

  private static List<String> received(Recording r) {
    List<String> out = new ArrayList<>();
    for (WatchSource.Frame f : r.frames) {
      out.add(describe(f.type(), f.object(), f.revision()));
      // The shared bytes are the same event as the object (one serialization, used as is).
      ObjectNode parsed = (ObjectNode) Registry.decode(f.json(), f.revision()).path("object");
      assertThat(parsed.path("metadata").path("name").asText()).isEqualTo(f.object().path("metadata").path("name").asText());
      assertThat(Registry.decode(f.json(), 0).path("type").asText()).isEqualTo(f.type());
    }
    return out;
  }

  private Storage.Watch open(Watcher w) {
    return source.open(new WatchSource.Request(pods, w.namespace, w.after, Registry.ListOptions.of(pods, w.query)), w.sink);
  }

  private static void awaitCount(Recording r, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (r.frames.size() < n && !r.ended && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void everyWatcherSeesExactlyTheStoreHistoryThroughItsFilter() throws Exception {
    // A small window that must grow (fresh events) and so switch generations under the readers.
    source = new CachedWatchSource(storage, 2, System::nanoTime, Duration.ofMinutes(5).toNanos(), 8, 1024);
    long start = storage.currentRevision();
    List<Storage.Event> history = new CopyOnWriteArrayList<>();
    Storage.Watch raw = storage.watch(pods.storagePrefix(), start, new Storage.WatchListener() {
      @Override
      public void onEvent(Storage.Event event) {
        history.add(event);
      }

      @Override
      public void onError(Throwable error) {
        throw new AssertionError(error);
      }
    });
    Random random = new Random(42);
    List<Map<String, String>> queries = List.of(Map.of(), Map.of("labelSelector", "app=x"), Map.of("labelSelector", "app!=x"),
        Map.of("fieldSelector", "metadata.name=p3"), Map.of("fieldSelector", "spec.nodeName=n1", "labelSelector", "app=y"));
    List<Watcher> watchers = new ArrayList<>();
    List<Storage.Watch> open = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      long after = storage.currentRevision();
      for (Map<String, String> q : queries) {
        for (String ns : new String[] {null, "a"}) {
          Watcher w = new Watcher(ns, q, after, new Recording(0));
          watchers.add(w);
          open.add(open(w));
        }
      }
      write(random, 40);
    }
    raw.close();
    long end = storage.currentRevision();
    for (Watcher w : watchers) {
      List<String> want = expected(history, w);
      awaitCount(w.sink, want.size());
      assertThat(w.sink.ended).as("watcher ended").isFalse();
      assertThat(received(w.sink)).as("watcher %s %s after %d", w.namespace, w.query, w.after).isEqualTo(want);
      assertThat(w.sink.ended).isFalse();
    }
    assertThat(history.get(history.size() - 1).revision()).isEqualTo(end);
    assertThat(source.cache(pods).resizesUp()).as("the window grew").isGreaterThan(0);
    open.forEach(Storage.Watch::close);
    StringBuilder metrics = new StringBuilder();
    source.renderMetrics(metrics);
    assertThat(metrics.toString()).contains("apiserver_watch_cache_events_received_total{resource=\"pods\"} " + history.size())
        .contains("apiserver_watch_cache_capacity{resource=\"pods\"} 256");
  }

  @Test
  void aWatcherThatFallsOutOfTheWindowIsEndedWithAnExactPrefixAndResumes() throws Exception {
    // One delivery thread, a fixed window of 8: a sink that takes 20 ms per event falls behind.
    source = new CachedWatchSource(storage, 1, System::nanoTime, 1, 8, 8);
    long start = storage.currentRevision();
    List<Storage.Event> history = new CopyOnWriteArrayList<>();
    storage.watch(pods.storagePrefix(), start, new Storage.WatchListener() {
      @Override
      public void onEvent(Storage.Event event) {
        history.add(event);
      }

      @Override
      public void onError(Throwable error) {
        throw new AssertionError(error);
      }
    });
    Watcher slow = new Watcher(null, Map.of(), start, new Recording(20));
    open(slow);
    write(new Random(7), 200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!slow.sink.ended && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(slow.sink.ended).as("the slow watcher was ended").isTrue();
    List<String> want = expected(history, slow);
    List<String> got = received(slow.sink);
    assertThat(got.size()).isLessThan(want.size());
    assertThat(got).isEqualTo(want.subList(0, got.size()));
    assertThat(source.cache(pods).terminatedWatchers.sum()).isEqualTo(1);

    // Re-watching from the last revision it saw: either the rest of the history, or 410 when the
    // window has moved past it (then the client relists).
    long last = slow.sink.lastRevision(start);
    Watcher again = new Watcher(null, Map.of(), last, new Recording(0));
    Storage.Watch resumed;
    try {
      resumed = open(again);
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(410);
      assertThat(last).isLessThan(history.get(history.size() - 1).revision() - 8);
      return;
    }
    List<String> rest = expected(history, again);
    awaitCount(again.sink, rest.size());
    assertThat(received(again.sink)).isEqualTo(rest);
    resumed.close();
  }

  @Test
  void resumingFromAResourceVersionBeforeCompactionAndTheWindowIsGone() throws Exception {
    source = new CachedWatchSource(storage, 1, System::nanoTime, 1, 8, 8);
    long start = storage.currentRevision();
    Watcher early = new Watcher(null, Map.of(), start, new Recording(0));
    Storage.Watch w = open(early);
    write(new Random(3), 5);
    awaitCount(early.sink, 5);
    long resumeFrom = early.sink.lastRevision(start);
    w.close();
    write(new Random(4), 50);
    storage.compact(storage.currentRevision());
    assertThat(storage.compactedRevision()).isGreaterThan(resumeFrom);
    Watcher resumed = new Watcher(null, Map.of(), resumeFrom, new Recording(0));
    assertThatThrownBy(() -> open(resumed)).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(410))
        .hasMessageContaining("too old resource version");
    // A resume from inside the window still works after the compaction: the cache serves it.
    long recent = storage.currentRevision() - 2;
    Watcher inWindow = new Watcher(null, Map.of(), recent, new Recording(0));
    open(inWindow);
    awaitCount(inWindow.sink, 2);
    assertThat(inWindow.sink.frames).extracting(WatchSource.Frame::revision).containsExactly(recent + 1, recent + 2);
  }
}
