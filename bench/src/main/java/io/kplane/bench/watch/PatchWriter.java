package io.kplane.bench.watch;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bench's writer: JSON merge patches over a fixed set of keep-alive HTTP/1.1 connections on one
 * Netty event loop, one request at a time per connection (as client-go's transport does; the API
 * server answers requests on a connection in any order, so no pipelining). A write completes with
 * the {@code resourceVersion} the server acknowledged, read from the response without parsing it.
 * Cheap enough that the writer, sharing the machine with the server, is not what limits the rate.
 */
final class PatchWriter implements AutoCloseable {
  private static final byte[] RV = "\"resourceVersion\":\"".getBytes(StandardCharsets.US_ASCII);

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ConcurrentLinkedQueue<Channel> idle = new ConcurrentLinkedQueue<>();
  private final List<Channel> all = new ArrayList<>();
  private final String host;

  /** Opens {@code connections} connections to host:port; at most that many writes are outstanding. */
  PatchWriter(String host, int port, int connections) throws InterruptedException {
    this.host = host + ":" + port;
    Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Answers());
          }
        });
    for (int i = 0; i < connections; i++) {
      Channel ch = b.connect(host, port).sync().channel();
      all.add(ch);
      idle.add(ch);
    }
  }

  /**
   * Sends one PATCH; completes with the acknowledged resourceVersion, exceptionally on a non-200
   * answer or a lost connection. The caller keeps at most {@code connections} outstanding.
   */
  CompletableFuture<Long> patch(String path, String mergePatch) {
    Channel ch = idle.poll();
    if (ch == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("more writes outstanding than connections"));
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    ch.attr(Answers.PENDING).set(done);
    ByteBuf body = Unpooled.copiedBuffer(mergePatch, StandardCharsets.UTF_8);
    DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, path, body);
    req.headers().set(HttpHeaderNames.HOST, host);
    req.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/merge-patch+json");
    req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    ch.writeAndFlush(req).addListener(f -> {
      if (!f.isSuccess()) {
        done.completeExceptionally(f.cause());
      }
    });
    return done;
  }

  private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
    static final io.netty.util.AttributeKey<CompletableFuture<Long>> PENDING = io.netty.util.AttributeKey.valueOf("pending");

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
      CompletableFuture<Long> done = ctx.channel().attr(PENDING).getAndSet(null);
      if (done == null) {
        return;
      }
      ByteBuf c = r.content();
      long rv = r.status().code() == 200 ? resourceVersion(c) : -1;
      idle.add(ctx.channel()); // free before completing: the completion may issue the next write
      if (rv < 0) {
        done.completeExceptionally(new IllegalStateException("PATCH answered " + r.status() + ": " + c.toString(StandardCharsets.UTF_8)));
      } else {
        done.complete(rv);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      CompletableFuture<Long> done = ctx.channel().attr(PENDING).getAndSet(null);
      if (done != null) {
        done.completeExceptionally(new IllegalStateException("connection closed"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The first {@code "resourceVersion":"N"} of a JSON object (its metadata's), -1 when absent. */
  static long resourceVersion(ByteBuf json) {
    int end = json.writerIndex();
    outer:
    for (int i = json.readerIndex(); i + RV.length <= end; i++) {
      i = json.indexOf(i, end, RV[0]);
      if (i < 0 || i + RV.length > end) {
        return -1;
      }
      for (int j = 1; j < RV.length; j++) {
        if (json.getByte(i + j) != RV[j]) {
          continue outer;
        }
      }
      long rv = 0;
      int k = i + RV.length;
      for (byte d; k < end && (d = json.getByte(k)) >= '0' && d <= '9'; k++) {
        rv = rv * 10 + (d - '0');
      }
      return k == i + RV.length ? -1 : rv;
    }
    return -1;
  }

  @Override
  public void close() {
    all.forEach(Channel::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
