package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One watch request: a streamed {@code application/json} response carrying one watch event per
 * line (HTTP/1.1 chunks, or DATA frames of one HTTP/2 stream), or, when an HTTP/1.1 request asks
 * to upgrade to a WebSocket (as fabric8's client does first, falling back to HTTP only on a 200 or
 * 503 answer to the upgrade), one text message per event, as kube-apiserver serves it.
 *
 * <p>resourceVersion semantics, as upstream: unset or "0" first sends the current objects as ADDED
 * (unless {@code sendInitialEvents=false}); an exact version sends the changes after it (410
 * Expired as an ERROR event when it was compacted); {@code sendInitialEvents=true} sends the
 * current state, then, with {@code allowWatchBookmarks}, a BOOKMARK annotated
 * {@code k8s.io/initial-events-end}. Bookmarks follow every {@code bookmarkInterval}. The stream
 * ends after {@code timeoutSeconds} (default: 30-60 min, randomized as upstream) or when the client
 * goes away. A watcher whose unsent output exceeds {@link #MAX_PENDING_BYTES} is ended rather than
 * buffered without bound; the client re-watches from its last resourceVersion.
 *
 * <p>Everything written goes through one lock, so that the initial events, live events (from the
 * source's thread) and bookmarks (from the timer) reach the socket in order.
 */
final class WatchStream implements WatchSource.Sink {
  static final long MAX_PENDING_BYTES = 64L << 20;

  private final HttpApi.Call call;
  private final Registry registry;
  private final WatchSource source;
  private final Metrics metrics;
  private final ScheduledExecutorService timers;
  private final Duration bookmarkInterval;
  private final Clock clock;
  private final Channel channel;
  private final boolean table;
  private final boolean bookmarks;
  /** Set when the client asked for a WebSocket: events go out as text messages instead of chunks. */
  private final WebSocketServerHandshaker webSocket;
  private final Object lock = new Object();
  private boolean initializing = true;
  private final List<Runnable> pending = new ArrayList<>();
  private boolean closed;
  private long lastRevision;
  private Storage.Watch watch;
  /**
   * Where pre-framed chunks ({@link WatchSource.Frame#chunk}) enter the pipeline: just past the
   * HTTP codec, which has already written the chunked response head and keeps no other state until
   * the last chunk (that one goes through it). Null over a WebSocket or for Table output.
   */
  private ChannelHandlerContext rawChunks;
  /** The watch is one stream of an HTTP/2 connection (the channel is the stream's child channel). */
  private final boolean http2;
  /** Over HTTP/2: where this stream's writes go (batched per connection onto its event loop); else null. */
  private final Http2Outbox outbox;
  /**
   * Over HTTP/1.1 (not a WebSocket): where every write of this watch goes, in order (batched per
   * event loop, so a dispatcher round does not bury the loop's other answers); else null.
   */
  private final Http1Outbox http1Outbox;
  /**
   * Over HTTP/2: bytes handed to the stream that the connection has not written yet (they wait for
   * the client's flow-control window). Over HTTP/1.1 the channel's outbound buffer counts them.
   */
  private final java.util.concurrent.atomic.AtomicLong unsentHttp2 = new java.util.concurrent.atomic.AtomicLong();
  /**
   * Over HTTP/1.1: a batch of shared chunks is on its way to the socket (queued on the event loop or
   * held by a full socket). Until it is written the watcher is not {@link #ready}: later events wait
   * in the cache's window and leave in one write, rather than as one more event-loop task each.
   */
  private volatile boolean writing;
  private final ChannelFutureListener written = f -> writing = false;
  private final List<ScheduledFuture<?>> timersStarted = new java.util.concurrent.CopyOnWriteArrayList<>();

  WatchStream(HttpApi.Call call, Registry registry, WatchSource source, Metrics metrics, ScheduledExecutorService timers,
              Duration bookmarkInterval, Clock clock) {
    this.call = call;
    this.registry = registry;
    this.source = source;
    this.metrics = metrics;
    this.timers = timers;
    this.bookmarkInterval = bookmarkInterval;
    this.clock = clock;
    this.channel = call.ctx.channel();
    this.http2 = channel instanceof Http2StreamChannel;
    this.outbox = http2 ? Http2Outbox.of((Http2StreamChannel) channel) : null;
    this.table = call.wantsTable();
    this.bookmarks = "true".equals(call.query.get("allowWatchBookmarks"));
    this.webSocket = !http2 && isWebSocketRequest(call) ? new WebSocketServerHandshakerFactory("wss://" + call.http.headers().get(HttpHeaderNames.HOST)
        + call.http.uri(), null, false, 1 << 20).newHandshaker(call.http) : null;
    this.http1Outbox = !http2 && webSocket == null ? Http1Outbox.of(channel) : null;
  }

  static boolean isWebSocketRequest(HttpApi.Call call) {
    return "websocket".equalsIgnoreCase(call.http.headers().get(HttpHeaderNames.UPGRADE))
        && call.http.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  /** One event (or a batch of lines, over HTTP only) in the framing this watch was opened with. */
  private Object payload(ByteBuf json) {
    return webSocket != null ? new TextWebSocketFrame(json) : new DefaultHttpContent(json);
  }

  void start() {
    ResourceType t = call.type;
    Registry.ListOptions opts = Registry.ListOptions.of(t, call.query);
    String rv = call.query.getOrDefault("resourceVersion", "");
    String sie = call.query.get("sendInitialEvents");
    boolean sendInitial = sie == null ? rv.isEmpty() || rv.equals("0") : sie.equals("true");
    if ("true".equals(sie) && !"NotOlderThan".equals(call.query.get("resourceVersionMatch"))) {
      throw new ApiException(Status.failure(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
          + "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", null));
    }
    long timeout;
    if (call.query.containsKey("timeoutSeconds")) {
      try {
        timeout = Long.parseLong(call.query.get("timeoutSeconds"));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid timeoutSeconds: " + call.query.get("timeoutSeconds"));
      }
    } else {
      timeout = 1800 + ThreadLocalRandom.current().nextLong(1800);
    }
    List<ObjectNode> initial = List.of();
    long after;
    if (sendInitial) {
      Registry.ListResult lr = registry.list(t, call.namespace, new Registry.ListOptions(opts.labels(), opts.fields(), 0, "",
          rv.equals("0") ? "" : rv, "NotOlderThan"));
      initial = lr.items();
      after = lr.revision();
    } else if (rv.isEmpty() || rv.equals("0")) {
      after = registry.storage().currentRevision();
    } else {
      after = Registry.parseRv(rv);
    }
    lastRevision = after;
    // Opened before the response starts, so that a too-old resourceVersion is an HTTP 410 (thrown
    // to the caller); events arriving meanwhile wait in `pending`. Over a WebSocket the expiry is
    // an ERROR event after the upgrade instead, as kube-apiserver's watch cache answers: fabric8
    // relists on that event, but retries a failed upgrade with the same resourceVersion forever.
    Storage.Watch opened = null;
    Status expired = null;
    try {
      opened = source.open(new WatchSource.Request(t, call.namespace, after, opts), this);
    } catch (ApiException e) {
      if (webSocket == null || e.code() != 410) {
        throw e;
      }
      expired = e.status();
    }
    metrics.watchers(t, 1);
    synchronized (lock) {
      watch = opened;
      if (webSocket != null) {
        // The handshake swaps the HTTP codec for WebSocket framing; writes queued after it go out as frames.
        webSocket.handshake(channel, call.http);
        channel.pipeline().addLast(new ClientFrames());
      } else {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set("Cache-Control", "no-cache, private");
        if (http2) {
          outbox.write((Http2StreamChannel) channel, head, null);
        } else {
          http1Outbox.writeAndFlush(channel, head, null);
        }
        rawChunks = table ? null : channel.pipeline().context(io.netty.handler.codec.http.HttpServerCodec.class);
      }
    }
    channel.closeFuture().addListener(f -> close(false));
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (ObjectNode o : initial) {
        send("ADDED", o, StoreWatchSource.encode("ADDED", o));
      }
      if (sendInitial && "true".equals(sie) && bookmarks) {
        sendBookmark(after, true);
      }
      initializing = false;
      pending.forEach(Runnable::run);
      pending.clear();
      flush();
    }
    if (expired != null) {
      error(expired);
      return;
    }
    timersStarted.add(timers.schedule(() -> close(true), timeout, TimeUnit.SECONDS));
    if (bookmarks && !bookmarkInterval.isZero()) {
      long ms = bookmarkInterval.toMillis();
      timersStarted.add(timers.scheduleWithFixedDelay(() -> {
        synchronized (lock) {
          if (!closed && !initializing) {
            sendBookmark(lastRevision, false);
            flush();
          }
        }
      }, ms, ms, TimeUnit.MILLISECONDS));
    }
    synchronized (lock) {
      if (closed) {
        timersStarted.forEach(f -> f.cancel(false));
      }
    }
  }

  /** Writes one event line (under the lock). */
  private void send(String type, ObjectNode object, byte[] json) {
    if (closed) {
      return;
    }
    if (table) {
      ObjectNode t = Tables.table(call.type, List.of(object), object.path("metadata").path("resourceVersion").asText(null), null,
          call.query.get("includeObject"), clock.instant());
      json = StoreWatchSource.encode(type, t);
    }
    if (!overflowing()) {
      write(Unpooled.wrappedBuffer(json));
    }
  }

  /**
   * Writes one payload of event lines: over HTTP/1.1 through the outbox (which flushes it), over a
   * WebSocket without flushing, over HTTP/2 counted as unsent until the connection sends it.
   */
  private void write(ByteBuf lines) {
    if (http1Outbox != null) {
      http1Outbox.writeAndFlush(channel, payload(lines), null);
      return;
    }
    if (!http2) {
      channel.write(payload(lines));
      return;
    }
    int n = lines.readableBytes();
    unsentHttp2.addAndGet(n);
    outbox.write((Http2StreamChannel) channel, payload(lines), f -> unsentHttp2.addAndGet(-n));
  }

  /** Sends what was written (the outboxes flush each write themselves). */
  private void flush() {
    if (!http2 && http1Outbox == null) {
      channel.flush();
    }
  }

  /** More than {@link #MAX_PENDING_BYTES} unsent: the client does not keep up; ends the watch (under the lock). */
  private boolean overflowing() {
    var out = channel.unsafe().outboundBuffer();
    long unsent = http2 ? unsentHttp2.get() : out == null ? 0 : out.totalPendingWriteBytes();
    if (unsent > MAX_PENDING_BYTES) {
      close(false);
      channel.close();
      return true;
    }
    return false;
  }

  private void sendBookmark(long revision, boolean initialEventsEnd) {
    ObjectNode o = Registry.JSON.createObjectNode();
    o.put("kind", call.type.kind());
    o.put("apiVersion", call.type.apiVersion());
    ObjectNode meta = o.putObject("metadata");
    meta.put("resourceVersion", Long.toString(revision));
    meta.put("creationTimestamp", (String) null);
    if (initialEventsEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    // Bookmarks are never tables: clients read only their resourceVersion.
    if (!closed) {
      write(Unpooled.wrappedBuffer(StoreWatchSource.encode("BOOKMARK", o)));
    }
  }

  @Override
  public void event(WatchSource.Frame frame) {
    synchronized (lock) {
      if (initializing) {
        pending.add(() -> event(frame));
        return;
      }
      lastRevision = Math.max(lastRevision, frame.revision());
      if (rawChunks != null && frame.chunk() != null) {
        if (!closed && !overflowing()) {
          writing = true;
          http1Outbox.writeAndFlush(rawChunks, frame.chunk().duplicate(), written);
        }
        return;
      }
      if (http2 && !table && frame.chunk() != null) {
        if (!closed && !overflowing()) {
          write(frame.line());
        }
        return;
      }
      send(frame.type(), frame.object(), frame.json());
      flush();
    }
  }

  /** One lock, one write and one flush for a batch (the watch cache hands over what a watcher has pending). */
  @Override
  public void events(List<WatchSource.Frame> frames) {
    synchronized (lock) {
      if (initializing || table || frames.size() == 1 || webSocket != null) {
        for (WatchSource.Frame f : frames) {
          event(f);
        }
        return;
      }
      if (closed || overflowing()) {
        return;
      }
      if (rawChunks != null) {
        // The shared chunks as they are: one gathering write of off-heap buffers, nothing copied or encoded.
        ByteBuf[] parts = new ByteBuf[frames.size()];
        boolean framed = true;
        for (int i = 0; i < parts.length && framed; i++) {
          ByteBuf c = frames.get(i).chunk();
          framed = c != null;
          parts[i] = framed ? c.duplicate() : null;
        }
        if (framed) {
          for (WatchSource.Frame f : frames) {
            lastRevision = Math.max(lastRevision, f.revision());
          }
          writing = true;
          http1Outbox.writeAndFlush(rawChunks, Unpooled.wrappedUnmodifiableBuffer(parts), written);
          return;
        }
      }
      if (http2) {
        // The shared off-heap lines: one DATA frame per batch, nothing copied on the way to the socket.
        ByteBuf[] lines = new ByteBuf[frames.size()];
        boolean shared = true;
        for (int i = 0; i < lines.length && shared; i++) {
          lines[i] = frames.get(i).line();
          shared = lines[i] != null;
        }
        if (shared) {
          for (WatchSource.Frame f : frames) {
            lastRevision = Math.max(lastRevision, f.revision());
          }
          write(Unpooled.wrappedUnmodifiableBuffer(lines));
          return;
        }
      }
      byte[][] parts = new byte[frames.size()][];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = frames.get(i).json();
        lastRevision = Math.max(lastRevision, frames.get(i).revision());
      }
      write(Unpooled.wrappedBuffer(parts));
      flush();
    }
  }

  @Override
  public boolean ready() {
    return !writing;
  }

  @Override
  public void progress(long revision) {
    synchronized (lock) {
      if (initializing) {
        pending.add(() -> progress(revision));
        return;
      }
      lastRevision = Math.max(lastRevision, revision);
    }
  }

  @Override
  public void error(Status status) {
    synchronized (lock) {
      if (initializing) {
        pending.add(() -> error(status));
        return;
      }
      if (!closed) {
        ObjectNode st = Registry.JSON.valueToTree(status);
        write(Unpooled.wrappedBuffer(StoreWatchSource.encode("ERROR", st)));
      }
    }
    close(true);
  }

  @Override
  public void end() {
    synchronized (lock) {
      if (initializing) {
        pending.add(this::end);
        return;
      }
    }
    close(true);
  }

  private void close(boolean endResponse) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    timersStarted.forEach(f -> f.cancel(false));
    Storage.Watch w;
    synchronized (lock) {
      w = watch;
    }
    if (w != null) {
      w.close();
    }
    metrics.watchers(call.type, -1);
    metrics.request("WATCH", call.type, null, call.scope(), 200, 0);
    if (endResponse && channel.isActive() && webSocket != null) {
      channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
    } else if (endResponse && channel.isActive() && http2) {
      // Behind the events still in the outbox; ends the stream, the connection stays.
      outbox.write((Http2StreamChannel) channel, LastHttpContent.EMPTY_LAST_CONTENT, null);
    } else if (endResponse && channel.isActive()) {
      // Behind the events still in the outbox. The connection stays open for the client's next
      // request, as kube-apiserver's does.
      http1Outbox.writeAndFlush(channel, LastHttpContent.EMPTY_LAST_CONTENT, call.keepAlive ? null : ChannelFutureListener.CLOSE);
    }
  }

  /** Answers the client's control frames: a ping with a pong, a close by closing; data is ignored. */
  private final class ClientFrames extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof CloseWebSocketFrame close) {
          webSocket.close(ctx.channel(), close.retain());
        } else if (msg instanceof PingWebSocketFrame ping) {
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (!(msg instanceof WebSocketFrame)) {
          ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
