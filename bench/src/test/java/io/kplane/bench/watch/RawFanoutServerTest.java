package io.kplane.bench.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.ChildJvm;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watch bench's floor serves the bench's own writer and watch streams: every acknowledged
 * write of an even pod reaches every watcher once, odd pods reach none, and events written before
 * a stream opened are not replayed to it.
 */
class RawFanoutServerTest {

  @Test
  void everyWatcherGetsEachMatchingWriteOnce() throws Exception {
    int port = ChildJvm.freePort();
    Thread server = new Thread(() -> {
      try {
        RawFanoutServer.main(new String[] {Integer.toString(port), "600", "2"});
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    server.setDaemon(true);
    server.start();
    awaitListening(port);

    AckTimes acks = new AckTimes();
    try (WatchStreams streams = new WatchStreams(acks); PatchWriter writer = new PatchWriter("127.0.0.1", port, 4)) {
      long before = writer.patch("/api/v1/namespaces/default/pods/pod-4", "{}").get(10, TimeUnit.SECONDS);
      streams.open("127.0.0.1", port, "/api/v1/namespaces/default/pods?watch=1", 5, false, 0);
      streams.recording(true);
      List<Long> revisions = new ArrayList<>();
      for (int pod = 0; pod < 6; pod++) {
        long rv = writer.patch("/api/v1/namespaces/default/pods/pod-" + pod, "{}").get(10, TimeUnit.SECONDS);
        acks.acked(rv, System.nanoTime(), true);
        revisions.add(rv);
      }
      assertThat(revisions).as("revisions after the first write, one per write").containsExactly(
          before + 1, before + 2, before + 3, before + 4, before + 5, before + 6);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (acks.deliveries() < 15 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200); // anything extra (a replay, a duplicate, an odd pod) would arrive by now
      assertThat(acks.deliveries()).as("pods 0, 2, 4 to each of 5 watchers").isEqualTo(15);
      assertThat(streams.bytes.sum()).as("15 event lines of 600 bytes, nothing replayed or repeated").isEqualTo(15L * 600);
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the floor server did not listen on " + port);
  }
}
