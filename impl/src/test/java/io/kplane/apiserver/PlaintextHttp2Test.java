package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plaintext port speaks both protocols: a client that opens with the HTTP/2 connection preface
 * (prior knowledge, no TLS, as gRPC-style clients and the watch benchmark do) gets HTTP/2, and
 * any other client HTTP/1.1. Many watch streams on one such connection each receive every event,
 * in order: their writes are batched per connection ({@link Http2Outbox}), also when the client's
 * flow-control windows hold them back.
 */
class PlaintextHttp2Test {
  private static final String TOKEN = "plaintext-h2-token";
  private static final Pattern NAME = Pattern.compile("\"name\":\"(ns-[-\\d]+)\"");
  private static EmbeddedStorage storage;
  private static ApiServer server;
  private static int port;
  private static EventLoopGroup group;

  @BeforeAll
  static void start() throws Exception {
    storage = new EmbeddedStorage();
    port = EtcdProcess.freePort();
    Authenticator auth = new Authenticator(Map.of(TOKEN, new Authenticator.User("admin", "admin", List.of("system:masters"))), false);
    server = new ApiServer(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", port), auth)
        .withWatchSource((s, registry) -> new CachedWatchSource(s, 2, System::nanoTime, WatchCache.FRESH_NANOS, 8, 4096)), storage);
    server.start();
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    server.close();
    storage.close();
  }

  @Test
  void priorKnowledgeGetsHttp2AndManyWatchStreamsOnOneConnectionEachSeeEveryEventInOrder() throws Exception {
    watchOneConnection(Http2Settings.defaultSettings(), 200, 0);
  }

  /**
   * A client whose streams take only a few events before their windows are spent, and which stops
   * reading half of its streams while the first events are written: their batches wait in the
   * flow controller until the client reads again, and arrive complete and in order. The client's
   * codec ends the connection if the server ever sends past a window.
   */
  @Test
  void smallFlowControlWindowsKeepEveryStreamCompleteAndInOrder() throws Exception {
    watchOneConnection(Http2Settings.defaultSettings().initialWindowSize(1200), 50, 20);
  }

  private void watchOneConnection(Http2Settings clientSettings, int watchers, long pauseMillis) throws Exception {
    boolean stall = pauseMillis > 0;
    Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().initialSettings(clientSettings).build(),
            new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
          }
        }));
      }
    }).connect("127.0.0.1", port).sync().channel();
    try {
      Http2StreamChannelBootstrap streams = new Http2StreamChannelBootstrap(connection);

      Reply list = new Reply();
      open(streams, list).writeAndFlush(get("/api/v1/namespaces"));
      assertThat(list.done.get(10, TimeUnit.SECONDS)).contains("\"kind\":\"NamespaceList\"");
      assertThat(list.status).isEqualTo(200);

      List<Reply> watches = new ArrayList<>();
      for (int i = 0; i < watchers; i++) {
        Reply w = new Reply();
        watches.add(w);
        open(streams, w).writeAndFlush(get("/api/v1/namespaces?watch=true&resourceVersion=" + storage.currentRevision()));
      }
      List<Http2StreamChannel> stalled = new ArrayList<>();
      for (Reply w : watches) {
        assertThat(w.head.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        if (stall && stalled.size() < watchers / 2) {
          w.channel.config().setAutoRead(false);
          stalled.add(w.channel);
        }
      }

      // The writes go over HTTP/1.1 to the same port: the sniffer hands that connection to the HTTP/1.1 pipeline.
      HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<String> created = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "ns-" + watchers + "-" + i;
        var r = http1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/namespaces"))
            .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"" + name + "\"}}")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        created.add(name);
        if (stall && i % 5 == 4) {
          Thread.sleep(pauseMillis); // some batches of one event, some of several
        }
        if (i == 9) {
          stalled.forEach(ch -> ch.config().setAutoRead(true)); // and read again: window comes back
          stalled.forEach(Http2StreamChannel::read);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (Reply w : watches) {
        while (w.names().size() < created.size() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(w.names()).as("every watch stream sees every ADDED, once, in order").isEqualTo(created);
      }
    } finally {
      connection.close().sync();
    }
  }

  private static Http2StreamChannel open(Http2StreamChannelBootstrap streams, Reply reply) throws Exception {
    Http2StreamChannel ch = streams.open().get(10, TimeUnit.SECONDS);
    reply.channel = ch;
    ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), reply);
    return ch;
  }

  private static DefaultFullHttpRequest get(String path) {
    DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    req.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + port);
    req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN);
    return req;
  }

  /** One stream's response: its status, and its body as it arrives. */
  private static final class Reply extends SimpleChannelInboundHandler<HttpObject> {
    final CompletableFuture<Integer> head = new CompletableFuture<>();
    final CompletableFuture<String> done = new CompletableFuture<>();
    private final StringBuilder body = new StringBuilder();
    volatile int status;
    Http2StreamChannel channel;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse r) {
        status = r.status().code();
        head.complete(status);
      }
      if (msg instanceof HttpContent c) {
        ByteBuf b = c.content();
        synchronized (body) {
          body.append(b.toString(StandardCharsets.UTF_8));
        }
        if (msg instanceof LastHttpContent) {
          done.complete(body.toString());
        }
      }
    }

    /** Names of the objects in the ADDED events received so far, in order. */
    List<String> names() {
      List<String> names = new ArrayList<>();
      synchronized (body) {
        for (String line : body.toString().split("\n")) {
          Matcher m = NAME.matcher(line);
          if (line.contains("\"type\":\"ADDED\"") && m.find()) {
            names.add(m.group(1));
          }
        }
      }
      return names;
    }
  }
}
