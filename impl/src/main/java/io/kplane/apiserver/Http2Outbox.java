package io.kplane.apiserver;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * The watch output of one HTTP/2 connection, handed over from the watch dispatcher's threads to
 * the connection's event loop in bulk.
 *
 * <p>Why: a write or flush on a stream's channel from another thread becomes one event-loop task
 * each. With a thousand watch streams on one connection, a dispatcher round queued two thousand
 * tasks, and under 1,000 writes/s the loop fell behind by over a hundred thousand tasks: events
 * waited seconds in its task queue while the loop itself was not even busy. Here every write of
 * the connection's streams goes into one queue, and one task (scheduled when the queue was idle)
 * writes all that is queued, in order, then flushes the connection once — one socket write for the
 * whole batch, one pass of the HTTP/2 flow controller.
 *
 * <p>Order per stream is kept because everything a watch writes (response head, events,
 * bookmarks, the end) goes through here in the order it was offered. Writes enter each stream's
 * pipeline at the aggregator, so they pass the HTTP-to-frames codec but not the chunked-write
 * handler (which would hold them until a flush of that stream).
 */
final class Http2Outbox {
  private static final AttributeKey<Http2Outbox> KEY = AttributeKey.valueOf(Http2Outbox.class, "outbox");

  private final Channel connection;
  private final ManyToOneConcurrentLinkedQueue<Write> queue = new ManyToOneConcurrentLinkedQueue<>();
  /** A drain task is queued on the event loop and has not started polling yet. */
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final Runnable drain = this::drain;

  private record Write(Http2StreamChannel stream, Object message, ChannelFutureListener written) {
  }

  private Http2Outbox(Channel connection) {
    this.connection = connection;
  }

  /** The outbox of the connection that carries {@code stream}. */
  static Http2Outbox of(Http2StreamChannel stream) {
    Channel parent = stream.parent();
    Http2Outbox box = parent.attr(KEY).get();
    if (box == null) {
      Http2Outbox created = new Http2Outbox(parent);
      box = parent.attr(KEY).setIfAbsent(created);
      if (box == null) {
        box = created;
      }
    }
    return box;
  }

  /**
   * Queues {@code message} (an HTTP/1.1 object: head, content, last content) for {@code stream};
   * {@code written}, if not null, learns when the connection has written it (or failed to).
   * Callable from any thread; the message is flushed by the drain that writes it.
   */
  void write(Http2StreamChannel stream, Object message, ChannelFutureListener written) {
    queue.offer(new Write(stream, message, written));
    if (drainQueued.compareAndSet(false, true)) {
      connection.eventLoop().execute(drain);
    }
  }

  private void drain() {
    // Cleared before polling: a write offered from now on either is polled below or queues a new drain.
    drainQueued.set(false);
    int n = 0;
    for (Write w; (w = queue.poll()) != null; n++) {
      ChannelHandlerContext entry = w.stream.pipeline().context(HttpObjectAggregator.class);
      if (entry == null || !w.stream.isActive()) {
        // The stream is gone (reset or closed): nothing to write to.
        ReferenceCountUtil.release(w.message);
        continue;
      }
      if (w.written == null) {
        entry.write(w.message, entry.voidPromise());
      } else {
        entry.write(w.message).addListener(w.written);
      }
    }
    if (n > 0) {
      connection.flush();
    }
  }
}
