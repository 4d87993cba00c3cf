package io.kplane.bench.watch;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many Kubernetes watch streams (JSON lines in HTTP/1.1 chunks or HTTP/2 DATA frames) on a couple of
 * Netty event-loop threads: over HTTP/1.1 one connection per stream, over HTTP/2 many streams per
 * connection; no thread per stream. Each received event's
 * {@code resourceVersion} goes to {@link AckTimes}, which measures it from the write's
 * acknowledgement (an event that beats the acknowledgement counts 0).
 */
final class WatchStreams implements AutoCloseable {
  private static final byte[] RV = "\"resourceVersion\":\"".getBytes(StandardCharsets.US_ASCII);
  /** Where the 'V' is in {@link #RV}. */
  private static final int RV_V = 9;
  private static final byte[] BOOKMARK = "\"type\":\"BOOKMARK\"".getBytes(StandardCharsets.US_ASCII);
  /** Per-stream receive window (as Go's HTTP/2 transport: 4 MiB). */
  private static final int STREAM_WINDOW = 4 << 20;
  /** Receive window of a whole connection (as Go's HTTP/2 transport: 1 GiB). */
  private static final int CONNECTION_WINDOW = 1 << 30;
  /** How much of each line is kept: the watch event's type and the object's metadata up to its resourceVersion. */
  private static final int HEAD = 1024;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final List<Channel> channels = new ArrayList<>();
  final java.util.concurrent.atomic.LongAdder bytes = new java.util.concurrent.atomic.LongAdder();
  final AtomicLong ended = new AtomicLong();
  final AtomicLong notOk = new AtomicLong();
  private final AckTimes acks;
  private volatile boolean recording;

  WatchStreams(AckTimes acks) {
    this.acks = acks;
  }

  /**
   * Opens {@code n} watch streams on {@code path} (with its query) against host:port; returns when all are answered 200.
   * Over HTTP/1.1 each stream has its own connection (as kubectl's over plain HTTP); over HTTP/2 (prior knowledge)
   * up to {@code streamsPerConnection} streams share one connection, as client-go's watches do over TLS.
   */
  void open(String host, int port, String path, int n, boolean http2, int streamsPerConnection) throws InterruptedException {
    Semaphore opening = new Semaphore(256);
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(n);
    Runnable onAnswer = () -> {
      opening.release();
      answered.countDown();
    };
    Runnable onFailure = () -> {
      opening.release();
      notOk.incrementAndGet();
      answered.countDown();
    };
    if (http2) {
      Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                  .initialSettings(Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW)).build());
              ch.pipeline().addLast(new Http2MultiplexHandler(new io.netty.channel.ChannelInboundHandlerAdapter()));
            }
          });
      for (int opened = 0; opened < n; ) {
        Channel connection = b.connect(host, port).sync().channel();
        synchronized (channels) {
          channels.add(connection);
        }
        // A connection-level window as large as Go's transport gives: flow control per stream, not per connection.
        connection.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        Http2StreamChannelBootstrap streams = new Http2StreamChannelBootstrap(connection)
            .handler(new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new Stream());
              }
            });
        for (int k = 0; k < streamsPerConnection && opened < n; k++, opened++) {
          opening.acquire();
          streams.open().addListener((io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<Http2StreamChannel>>) f -> {
            if (!f.isSuccess()) {
              onFailure.run();
              return;
            }
            request(f.getNow(), host, port, path, onAnswer);
          });
        }
      }
    } else {
      Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 1 << 20), new Stream());
            }
          });
      for (int i = 0; i < n; i++) {
        opening.acquire();
        b.connect(host, port).addListener((io.netty.channel.ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            onFailure.run();
            return;
          }
          synchronized (channels) {
            channels.add(f.channel());
          }
          request(f.channel(), host, port, path, onAnswer);
        });
      }
    }
    if (!answered.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException((n - answered.getCount()) + " of " + n + " watch streams answered within 300 s");
    }
    if (notOk.get() > 0) {
      throw new IllegalStateException(notOk.get() + " of " + n + " watch streams failed to connect or were refused");
    }
  }

  private static void request(Channel ch, String host, int port, String path, Runnable onAnswer) {
    ch.attr(Stream.ANSWERED).set(onAnswer);
    DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
    ch.writeAndFlush(req);
  }

  /** Start (or stop) counting deliveries and latencies (warm-up excluded). */
  void recording(boolean on) {
    recording = on;
  }

  /**
   * One watch stream: finds each line's end with Netty's vectorised {@code indexOf} and reads
   * only the start of each line (where {@code metadata.resourceVersion} is), so that receiving is
   * cheap next to what the server does to send.
   */
  final class Stream extends SimpleChannelInboundHandler<HttpObject> {
    static final io.netty.util.AttributeKey<Runnable> ANSWERED = io.netty.util.AttributeKey.valueOf("answered");
    /** The start of the current line; the resourceVersion lies within it. */
    private final byte[] head = new byte[HEAD];
    private int length;
    private boolean measured;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse r) {
        if (r.status().code() != 200) {
          notOk.incrementAndGet();
        }
        Runnable a = ctx.channel().attr(ANSWERED).getAndSet(null);
        if (a != null) {
          a.run();
        }
      }
      if (msg instanceof HttpContent c) {
        ByteBuf buf = c.content();
        long now = System.nanoTime();
        if (recording) {
          bytes.add(buf.readableBytes());
        }
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
          int nl = buf.indexOf(i, end, (byte) '\n');
          int segmentEnd = nl < 0 ? end : nl;
          if (!measured && length == 0 && nl >= 0) {
            // The whole line is in this buffer (the usual case): find its resourceVersion in place.
            measured = eventInPlace(buf, i, segmentEnd, now);
          }
          if (!measured && length < head.length) {
            int n = Math.min(segmentEnd - i, head.length - length);
            buf.getBytes(i, head, length, n);
            length += n;
            measured = event(now, false);
          }
          if (nl < 0) {
            break;
          }
          if (!measured) {
            event(now, true);
          }
          length = 0;
          measured = false;
          i = nl + 1;
        }
      }
    }

    /**
     * Records the event of the line {@code [from, to)} of {@code buf} if its resourceVersion is in
     * it; false if not found (the caller then copies the line's start and searches that). Jumps
     * from one 'V' to the next with Netty's word-at-a-time scan: in a watch event only
     * {@code apiVersion} comes before it, where a byte-by-byte search of the line's first ~260
     * bytes took half of this client's CPU.
     */
    private boolean eventInPlace(ByteBuf buf, int from, int to, long now) {
      for (int v = buf.indexOf(from, to, (byte) 'V'); v >= 0; v = buf.indexOf(v + 1, to, (byte) 'V')) {
        int at = v - RV_V;
        if (at < from || at + RV.length >= to || !matches(buf, at, RV)) {
          continue;
        }
        long rv = 0;
        int i = at + RV.length;
        for (; i < to && buf.getByte(i) >= '0' && buf.getByte(i) <= '9'; i++) {
          rv = rv * 10 + (buf.getByte(i) - '0');
        }
        if (i == at + RV.length || i == to) {
          return false;
        }
        if (!occursWithin(buf, from, Math.min(to, from + 40), BOOKMARK)) {
          acks.received(rv, now);
        }
        return true;
      }
      return false;
    }

    /** Records the line's event once its resourceVersion is complete in {@link #head}; true when done with the line. */
    private boolean event(long now, boolean lineEnded) {
      int at = indexOf(head, length, RV);
      if (at < 0) {
        return length == head.length;
      }
      long rv = 0;
      int i = at + RV.length;
      for (; i < length && head[i] >= '0' && head[i] <= '9'; i++) {
        rv = rv * 10 + (head[i] - '0');
      }
      if (i == length && !lineEnded) {
        return false; // the number may go on in the next buffer
      }
      if (indexOf(head, Math.min(length, 40), BOOKMARK) < 0) {
        acks.received(rv, now);
      }
      return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ended.incrementAndGet();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static boolean matches(ByteBuf buf, int at, byte[] needle) {
    for (int j = 0; j < needle.length; j++) {
      if (buf.getByte(at + j) != needle[j]) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code needle} occurs within {@code [from, to)} of {@code buf}. */
  private static boolean occursWithin(ByteBuf buf, int from, int to, byte[] needle) {
    for (int i = from; i + needle.length <= to; i++) {
      if (buf.getByte(i) == needle[0] && matches(buf, i, needle)) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(byte[] hay, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    synchronized (channels) {
      for (Channel c : channels) {
        c.close();
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
