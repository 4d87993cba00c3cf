package io.kplane.apiserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.WeightedFairQueueByteDistributor;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which HTTP a connection speaks, and the pipeline for each. Over TLS the client chooses by ALPN
 * ({@code h2} or {@code http/1.1}), as with kube-apiserver, so kubectl and client-go multiplex
 * every request and watch of a process over one connection. In plaintext the first bytes decide:
 * the HTTP/2 connection preface (prior knowledge, as gRPC clients send it) or HTTP/1.1.
 *
 * <p>Each HTTP/2 stream becomes a child channel whose pipeline turns frames back into HTTP/1.1
 * objects, so the API's handler serves both protocols unchanged. Watch output does not take the
 * streams' own write path from the dispatcher's threads (a task per write): it goes through the
 * connection's {@link Http2Outbox}, which writes a whole batch of streams on the event loop and
 * flushes once. Other flushes of the connection are consolidated, so that the streams' responses
 * leave in one socket write rather than one each.
 */
final class HttpProtocols {
  /** Concurrent streams a client may open on one connection. */
  static final int MAX_CONCURRENT_STREAMS = 1000;
  /** Most bytes a request (headers and body) may have. */
  static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;
  /** Write buffer water marks of a connection's socket (see ApiServer). */
  static final int SOCKET_BUFFER_LOW = 4 << 20;
  static final int SOCKET_BUFFER_HIGH = 16 << 20;
  /** Bytes of one stream's queued data the flow controller writes before it turns to the next stream. */
  static final int DATA_QUANTUM = 16 * 1024;
  /** A flush is forced after this many consolidated ones, so a long burst of writes still goes out in parts. */
  private static final int FLUSHES_PER_WRITE = 1024;

  /** ALPN for a server context: h2 preferred, HTTP/1.1 for clients that offer only that. */
  static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
      ApplicationProtocolNames.HTTP_1_1);

  private HttpProtocols() {
  }

  /** Sets up a new connection: TLS with ALPN if {@code ssl} is given, else plaintext with preface sniffing. */
  static void init(SocketChannel ch, SslContext ssl, Supplier<ChannelHandler> api) {
    ChannelPipeline p = ch.pipeline();
    if (ssl == null) {
      p.addLast(new PrefaceSniffer(api));
      return;
    }
    p.addLast(ssl.newHandler(ch.alloc()));
    p.addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
      @Override
      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        ctx.pipeline().addLast(ApplicationProtocolNames.HTTP_2.equals(protocol) ? http2(api) : http1(api));
      }
    });
  }

  /** The handlers of an HTTP/1.1 connection, in pipeline order. */
  static ChannelHandler[] http1(Supplier<ChannelHandler> api) {
    return new ChannelHandler[] {new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), new ChunkedWriteHandler(), api.get()};
  }

  /** The handlers of an HTTP/2 connection, in pipeline order; each stream gets the API's handler in a child channel. */
  static ChannelHandler[] http2(Supplier<ChannelHandler> api) {
    ChannelInitializer<Http2StreamChannel> stream = new ChannelInitializer<>() {
      @Override
      protected void initChannel(Http2StreamChannel ch) {
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new HttpObjectAggregator(MAX_REQUEST_BYTES),
            new ChunkedWriteHandler(), api.get());
      }
    };
    return new ChannelHandler[] {
        new FlushConsolidationHandler(FLUSHES_PER_WRITE, true),
        new ServerCodecBuilder()
            .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS)).build(),
        new Http2MultiplexHandler(stream)};
  }

  /**
   * A server connection whose flow controller hands each stream up to {@link #DATA_QUANTUM} bytes
   * per turn. Netty's default is 1 KiB, which cut every watch event (about 1 KiB of JSON) into
   * two DATA frames and a batch of them into many, each decoded and dispatched on its own by the
   * client; a watch batch now leaves as one frame (up to the peer's max frame size).
   */
  private static final class ServerCodecBuilder extends Http2FrameCodecBuilder {
    ServerCodecBuilder() {
      Http2Connection connection = new DefaultHttp2Connection(true);
      WeightedFairQueueByteDistributor distributor = new WeightedFairQueueByteDistributor(connection);
      distributor.allocationQuantum(DATA_QUANTUM);
      connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, distributor));
      connection(connection);
    }
  }

  /** Plaintext: the HTTP/2 client preface selects HTTP/2 (prior knowledge); anything else is HTTP/1.1. */
  private static final class PrefaceSniffer extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
    private final Supplier<ChannelHandler> api;

    PrefaceSniffer(Supplier<ChannelHandler> api) {
      this.api = api;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
      boolean http2 = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n);
      if (http2 && n < PREFACE.readableBytes()) {
        return; // could still be HTTP/2: wait for the rest of the preface
      }
      String after = ctx.name();
      for (ChannelHandler h : http2 ? http2(api) : http1(api)) {
        ctx.pipeline().addAfter(after, null, h);
        after = ctx.pipeline().context(h).name();
      }
      ctx.pipeline().remove(this); // hands the bytes read so far to the handlers just added
    }
  }
}
