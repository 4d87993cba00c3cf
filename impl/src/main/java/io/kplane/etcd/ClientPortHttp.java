package io.kplane.etcd;

import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * etcd's client port speaks two protocols, as etcd's does (it multiplexes with cmux): gRPC over
 * HTTP/2, and plain HTTP/1.1 for {@code GET /health} and {@code GET /metrics}. The first bytes of a
 * connection decide: the HTTP/2 client preface starts with {@code PRI}, so such a connection goes
 * on to gRPC's own negotiation untouched; anything else is served as HTTP/1.1 here.
 *
 * <p>Only the plaintext client port is multiplexed; with client TLS, gRPC's TLS negotiation (which
 * requires ALPN {@code h2}) is used as before and {@code /health} is served on the metrics address.
 */
final class ClientPortHttp implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final byte[] HTTP2_PREFACE_START = "PRI".getBytes(StandardCharsets.US_ASCII);

    private final InternalProtocolNegotiator.ProtocolNegotiator grpc;
    private final MemberMetrics metrics;

    /** @param grpc the negotiator gRPC connections continue with (plaintext) */
    ClientPortHttp(InternalProtocolNegotiator.ProtocolNegotiator grpc, MemberMetrics metrics) {
        this.grpc = grpc;
        this.metrics = metrics;
    }

    @Override
    public AsciiString scheme() {
        return grpc.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Sniffer(grpcHandler);
    }

    @Override
    public void close() {
        grpc.close();
    }

    /**
     * Holds back gRPC's negotiation event until the first bytes arrive (gRPC would otherwise send
     * its HTTP/2 settings at once, which an HTTP/1.1 client reads as a broken response).
     */
    private final class Sniffer extends ByteToMessageDecoder {
        private final GrpcHttp2ConnectionHandler grpcHandler;
        private Object negotiationEvent;

        Sniffer(GrpcHttp2ConnectionHandler grpcHandler) {
            this.grpcHandler = grpcHandler;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (negotiationEvent == null && evt.getClass().getName().equals("io.grpc.netty.ProtocolNegotiationEvent")) {
                negotiationEvent = evt; // replayed to gRPC's handlers if this turns out to be gRPC
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < HTTP2_PREFACE_START.length) {
                return;
            }
            boolean http2 = true;
            for (int i = 0; i < HTTP2_PREFACE_START.length; i++) {
                http2 &= in.getByte(in.readerIndex() + i) == HTTP2_PREFACE_START[i];
            }
            if (http2) {
                ctx.pipeline().addAfter(ctx.name(), null, grpc.newHandler(grpcHandler));
                if (negotiationEvent != null) {
                    ctx.fireUserEventTriggered(negotiationEvent);
                }
            } else {
                ctx.pipeline().addAfter(ctx.name(), null, new HttpEndpoints());
                ctx.pipeline().addAfter(ctx.name(), null, new HttpObjectAggregator(64 * 1024));
                ctx.pipeline().addAfter(ctx.name(), null, new HttpServerCodec());
            }
            ctx.pipeline().remove(this); // hands the bytes read so far to the handlers just added
        }
    }

    /** {@code GET /health} and {@code GET /metrics}; 404 for anything else, as etcd's mux answers. */
    private final class HttpEndpoints extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = req.uri();
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            boolean read = req.method().equals(HttpMethod.GET);
            if (read && path.equals("/health")) {
                metrics.healthy().thenAccept(ok -> respond(ctx, keepAlive,
                        ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                        MemberMetrics.healthBody(ok)));
            } else if (read && path.equals("/metrics")) {
                respond(ctx, keepAlive, HttpResponseStatus.OK, MemberMetrics.METRICS_CONTENT_TYPE, metrics.render());
            } else {
                respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "404 page not found\n");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a malformed request ends only its own connection
        }
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type,
                                String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        HttpUtil.setKeepAlive(r, keepAlive);
        var written = ctx.writeAndFlush(r);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
