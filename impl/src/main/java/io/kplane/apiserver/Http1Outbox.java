package io.kplane.apiserver;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * The HTTP/1.1 watch output of one event loop: every write of the watch streams whose connections
 * that loop serves, handed over from other threads (the watch dispatcher's, the bookmark timer's,
 * a worker's) in one queue, and written by a task that takes at most {@link #SLICE} writes before the
 * loop reads its sockets again.
 *
 * <p>Why: a write from another thread is one event-loop task, with a wake-up of the loop's selector.
 * At 10,000 watchers a dispatcher round queued five thousand tasks per loop, and an answer to an
 * ordinary request (a write's acknowledgement) waited behind all of them: writers saw 800 ms per
 * PATCH that the API server had answered in 30. Here a round's writes are one queue; the loop reads
 * requests and sends other answers between slices of it.
 *
 * <p>Order per stream is kept as long as everything the stream writes (response head, events,
 * bookmarks, the last chunk) goes through its outbox, in the order offered; {@link WatchStream}
 * does that for every HTTP/1.1 watch that is not a WebSocket.
 */
final class Http1Outbox {
  /** Writes one drain task takes before letting the loop do other work. */
  static final int SLICE = 128;
  private static final AttributeKey<ConcurrentHashMap<EventLoop, Http1Outbox>> KEY =
      AttributeKey.valueOf(Http1Outbox.class, "outboxes");

  private final EventLoop loop;
  private final ManyToOneConcurrentLinkedQueue<Write> queue = new ManyToOneConcurrentLinkedQueue<>();
  /** A drain task is queued on the loop or running; cleared only when it found the queue empty. */
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final Runnable drain = this::drain;

  /** {@code target} is the channel (a write through the whole pipeline) or a handler's context (from there on). */
  private record Write(ChannelOutboundInvoker target, Object message, ChannelFutureListener written) {
  }

  private Http1Outbox(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * The outbox of {@code channel}'s event loop, one per loop per server: the outboxes hang off the
   * listening channel, so they live and go with it.
   */
  static Http1Outbox of(Channel channel) {
    Channel holder = channel.parent() != null ? channel.parent() : channel;
    ConcurrentHashMap<EventLoop, Http1Outbox> byLoop = holder.attr(KEY).get();
    if (byLoop == null) {
      ConcurrentHashMap<EventLoop, Http1Outbox> created = new ConcurrentHashMap<>();
      byLoop = holder.attr(KEY).setIfAbsent(created);
      if (byLoop == null) {
        byLoop = created;
      }
    }
    return byLoop.computeIfAbsent(channel.eventLoop(), Http1Outbox::new);
  }

  /**
   * Queues {@code message} to be written and flushed at {@code target} on the loop; {@code written},
   * if not null, learns when it reached the socket (or failed to). Callable from any thread.
   */
  void writeAndFlush(ChannelOutboundInvoker target, Object message, ChannelFutureListener written) {
    queue.offer(new Write(target, message, written));
    if (drainQueued.compareAndSet(false, true)) {
      schedule();
    }
  }

  private void schedule() {
    try {
      loop.execute(drain);
    } catch (RejectedExecutionException shutDown) {
      // The loop is gone with its connections: nothing queued can be written.
      for (Write w; (w = queue.poll()) != null; ) {
        ReferenceCountUtil.release(w.message);
      }
    }
  }

  private void drain() {
    for (int n = 0; n < SLICE; n++) {
      Write w = queue.poll();
      if (w == null) {
        break;
      }
      if (w.written == null) {
        w.target.writeAndFlush(w.message, w.target.voidPromise());
      } else {
        w.target.writeAndFlush(w.message).addListener(w.written);
      }
    }
    if (!queue.isEmpty()) {
      // Still flagged. As a scheduled task (due now) the rest runs after the loop's next look at its
      // sockets: a task queued with execute() would run in this same batch of tasks, which Netty
      // lets go on for up to a second before it reads any request.
      try {
        loop.schedule(drain, 0, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException shutDown) {
        schedule();
      }
      return;
    }
    drainQueued.set(false);
    // A write offered between the empty poll and the clear found the flag set and scheduled nothing.
    if (!queue.isEmpty() && drainQueued.compareAndSet(false, true)) {
      schedule();
    }
  }
}
