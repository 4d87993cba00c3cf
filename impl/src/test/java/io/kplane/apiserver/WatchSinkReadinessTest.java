package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A watcher whose sink is not ready (its last write has not reached the socket) is skipped: its
 * events wait in the cache's window and arrive together, in order, in one batch once it is ready;
 * one that stays not ready while the window moves past it is ended, like any watcher that falls
 * behind.
 */
class WatchSinkReadinessTest {
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

  /** Records each batch it is handed; ready only when the test says so. */
  static final class GatedSink implements WatchSource.Sink {
    final List<List<Long>> batches = new CopyOnWriteArrayList<>();
    volatile boolean ready;
    volatile boolean ended;

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public void event(WatchSource.Frame frame) {
      batches.add(List.of(frame.revision()));
    }

    @Override
    public void events(List<WatchSource.Frame> frames) {
      batches.add(frames.stream().map(WatchSource.Frame::revision).toList());
    }

    @Override
    public void progress(long revision) {
    }

    @Override
    public void error(Status status) {
      throw new AssertionError(status);
    }

    @Override
    public void end() {
      ended = true;
    }
  }

  private long create(String name) {
    byte[] pod = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"a\"}}")
        .getBytes(StandardCharsets.UTF_8);
    Storage.WriteResult r = storage.create(pods.storageKey("a", name), pod);
    assertThat(r.succeeded()).isTrue();
    return r.revision();
  }

  private void awaitCache(long revision) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (source.cache(pods).revision() < revision && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(source.cache(pods).revision()).isGreaterThanOrEqualTo(revision);
  }

  @Test
  void eventsWaitInTheWindowWhileTheSinkIsBusyAndLeaveInOneBatch() throws Exception {
    source = new CachedWatchSource(storage, 1, System::nanoTime, 1, 64, 64);
    long start = storage.currentRevision();
    GatedSink sink = new GatedSink();
    source.open(new WatchSource.Request(pods, null, start, Registry.ListOptions.of(pods, java.util.Map.of())), sink);
    long first = create("p0");
    long last = first;
    for (int i = 1; i < 5; i++) {
      last = create("p" + i);
    }
    awaitCache(last);
    Thread.sleep(50); // several dispatcher rounds
    assertThat(sink.batches).as("nothing handed to a busy sink").isEmpty();

    sink.ready = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sink.batches.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(sink.batches).as("the five events together, in order").containsExactly(List.of(first, first + 1, first + 2, first + 3, last));
    assertThat(sink.ended).isFalse();
  }

  @Test
  void aSinkThatStaysBusyWhileTheWindowMovesOnIsEnded() throws Exception {
    source = new CachedWatchSource(storage, 1, System::nanoTime, 1, 8, 8);
    GatedSink sink = new GatedSink();
    source.open(new WatchSource.Request(pods, null, storage.currentRevision(), Registry.ListOptions.of(pods, java.util.Map.of())), sink);
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = create("q" + i);
    }
    awaitCache(last);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!sink.ended && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(sink.ended).as("ended after falling out of a window of 8").isTrue();
    assertThat(sink.batches).isEmpty();
    assertThat(source.cache(pods).terminatedWatchers.sum()).isEqualTo(1);
  }
}
