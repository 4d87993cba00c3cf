package io.kplane.bench.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The watch bench's client counts one delivery per event line, from the object's
 * {@code metadata.resourceVersion}: found in place when a line is whole in one buffer, from a
 * copied head when a line is cut across buffers (even inside the number), never for bookmarks.
 */
class WatchStreamsParsingTest {

  private static String event(long rv) {
    return "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-1\","
        + "\"namespace\":\"default\",\"resourceVersion\":\"" + rv + "\"},\"spec\":{\"nodeName\":\"n-Version\"}}}\n";
  }

  @Test
  void everyEventLineIsCountedOnceWhereverTheBuffersCutIt() throws Exception {
    AckTimes acks = new AckTimes();
    try (WatchStreams streams = new WatchStreams(acks)) {
      streams.recording(true);
      EmbeddedChannel ch = new EmbeddedChannel(streams.new Stream());
      for (long rv = 100; rv <= 104; rv++) {
        acks.acked(rv, System.nanoTime(), true);
      }
      String bookmark = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"104\"}}}\n";
      String all = event(100) + event(101) + bookmark + event(102) + event(103);
      int cutInNumber = all.indexOf("\"103\"") + 2; // between the 1 and the 0 of 103
      int cutInLine = all.indexOf(event(102)) + 30;
      write(ch, all.substring(0, cutInLine));
      write(ch, all.substring(cutInLine, cutInNumber));
      write(ch, all.substring(cutInNumber));
      assertThat(acks.deliveries()).as("100, 101, 102 (cut), 103 (cut in its number); not the bookmark").isEqualTo(4);
      assertThat(acks.latency.getTotalCount()).isEqualTo(4);
      ch.finishAndReleaseAll();
    }
  }

  private static void write(EmbeddedChannel ch, String part) {
    ch.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8)));
  }
}
