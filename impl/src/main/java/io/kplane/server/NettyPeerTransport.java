package io.kplane.server;

import io.kplane.time.NanoClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raft transport over TCP with Netty (epoll on Linux when available, NIO otherwise).
 *
 * <p>Each member listens on its peer address and dials every other member; a dialed connection
 * carries frames one way only (see {@link PeerWire}). A lost connection is re-dialed with
 * exponential backoff (50 ms doubling to 2 s); while a peer is unreachable, frames to it are
 * dropped (Raft retransmits) and a warning is logged on the first failure and then every 30 s.
 *
 * <p>With {@link PeerTls} both sides speak TLS: accepted connections (peers and admin clients)
 * present this member's certificate and, with {@code --peer-client-cert-auth}, require one signed
 * by the trusted CA; dialed connections present it too and verify the peer's. A dialed connection
 * carries frames only once its handshake is done, so a peer that fails it is unreachable, not
 * connected.
 */
public final class NettyPeerTransport implements PeerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyPeerTransport.class);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 2000;
    private static final long WARN_EVERY_NS = TimeUnit.SECONDS.toNanos(30);
    /** A dialed connection that lasted this long was accepted: the next loss re-dials at once. */
    private static final long STABLE_NS = TimeUnit.SECONDS.toNanos(1);

    private final long clusterId;
    private final long selfId;
    private final InetSocketAddress listen;
    private volatile Map<Long, InetSocketAddress> peerAddresses;
    private volatile Map<Long, String> peerNames;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends ServerChannel> serverChannel;
    private final SslContext serverTls; // null: plaintext
    private final SslContext clientTls;
    private final Map<Long, Outbound> outbound = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final io.netty.channel.group.ChannelGroup accepted =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private volatile InboundListener listener;
    private volatile boolean closed;
    private Channel server;
    /** Decides whether a connection lasted long enough to count as accepted, and when to warn again. */
    private final NanoClock clock;

    /**
     * A plaintext transport.
     *
     * @param peers every other member: id → address; {@code names} for log messages
     */
    public NettyPeerTransport(long clusterId, long selfId, InetSocketAddress listen,
                              Map<Long, InetSocketAddress> peers, Map<Long, String> names) {
        this(clusterId, selfId, listen, peers, names, null);
    }

    /**
     * @param peers every other member: id → address; {@code names} for log messages
     * @param tls   peer TLS, or null for plaintext
     * @throws IllegalArgumentException if the TLS certificates cannot be loaded
     */
    public NettyPeerTransport(long clusterId, long selfId, InetSocketAddress listen,
                              Map<Long, InetSocketAddress> peers, Map<Long, String> names, PeerTls tls) {
        this(clusterId, selfId, listen, peers, names, tls, NanoClock.system());
    }

    /** As above, reading {@code clock} (the member's clock) instead of the system's. */
    public NettyPeerTransport(long clusterId, long selfId, InetSocketAddress listen,
                              Map<Long, InetSocketAddress> peers, Map<Long, String> names, PeerTls tls,
                              NanoClock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        // Loaded once, before anything is bound: a bad certificate fails the start, not every dial.
        this.serverTls = tls == null ? null : tls.serverContext();
        this.clientTls = tls == null ? null : tls.clientContext();
        this.clusterId = clusterId;
        this.selfId = selfId;
        this.listen = listen;
        this.peerAddresses = Map.copyOf(peers);
        this.peerNames = Map.copyOf(names);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(2, io);
        this.socketChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The address actually bound (useful with port 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Frames dropped because the peer was not connected or not writable. */
    public long droppedFrames() {
        return dropped.get();
    }

    /**
     * Binds the peer port and starts dialing peers.
     *
     * @throws PortInUseException when the listen address is taken
     */
    @Override
    public synchronized void start(InboundListener listener) {
        this.listener = listener;
        ServerBootstrap sb = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        if (serverTls != null) {
                            ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(frameDecoder(), new Accepted());
                    }
                });
        ChannelFuture bind = sb.bind(listen).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Throwable cause = bind.cause();
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                throw new PortInUseException("cannot listen on peer address " + listen.getHostString() + ":"
                        + listen.getPort() + ": address already in use (is another member running?)", cause);
            }
            throw new IllegalStateException("cannot listen on peer address " + listen + ": " + cause, cause);
        }
        server = bind.channel();
        for (Map.Entry<Long, InetSocketAddress> e : peerAddresses.entrySet()) {
            Outbound o = new Outbound(e.getKey(), e.getValue());
            outbound.put(e.getKey(), o);
            o.connect();
        }
    }

    @Override
    public synchronized void setPeers(Map<Long, InetSocketAddress> peers, Map<Long, String> names) {
        if (peers.equals(peerAddresses) && names.equals(peerNames)) {
            return;
        }
        peerNames = Map.copyOf(names);
        peerAddresses = Map.copyOf(peers);
        if (server == null || closed) {
            return; // not started: start() dials what is set now
        }
        for (Map.Entry<Long, Outbound> e : Map.copyOf(outbound).entrySet()) {
            InetSocketAddress now = peers.get(e.getKey());
            if (now == null || !now.equals(e.getValue().address)) {
                LOG.info("peer {} {}", name(e.getKey()), now == null ? "removed" : "moved to " + now);
                outbound.remove(e.getKey());
                e.getValue().stop();
            }
        }
        for (Map.Entry<Long, InetSocketAddress> e : peers.entrySet()) {
            if (!outbound.containsKey(e.getKey())) {
                Outbound o = new Outbound(e.getKey(), e.getValue());
                outbound.put(e.getKey(), o);
                o.connect();
            }
        }
    }

    @Override
    public boolean send(long to, ByteBuffer body) {
        Outbound o = outbound.get(to);
        Channel ch = o == null ? null : o.channel;
        if (ch == null || !ch.isActive() || !ch.isWritable()) {
            // Connected but not writable: the peer (or the path to it) does not keep up. Say so, so
            // that Raft treats it as unreachable (probes) instead of waiting for answers to appends
            // that never left this process.
            dropped.incrementAndGet();
            return false;
        }
        ByteBuf header = Unpooled.buffer(5).writeInt(1 + body.remaining()).writeByte(PeerWire.RAFT);
        ch.writeAndFlush(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(body)), ch.voidPromise());
        return true;
    }

    @Override
    public boolean isConnected(long to) {
        Outbound o = outbound.get(to);
        return o != null && o.channel != null && o.channel.isActive();
    }

    @Override
    public void close() {
        closed = true;
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        accepted.close().awaitUninterruptibly();
        for (Outbound o : outbound.values()) {
            Channel ch = o.channel;
            if (ch != null) {
                ch.close();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(PeerWire.MAX_FRAME_BYTES, 0, 4, 0, 4);
    }

    private String name(long id) {
        String n = peerNames.get(id);
        return n == null ? Long.toHexString(id) : n;
    }

    /** One dialed connection to a peer, re-dialed with backoff. */
    private final class Outbound {
        final long peerId;
        final InetSocketAddress address;
        volatile Channel channel;
        long backoffMs = MIN_BACKOFF_MS;
        long lastWarnNs;
        boolean warned;
        volatile Throwable closeCause; // a TLS failure that closed the connection, for the warning
        volatile boolean stopped;

        /** This peer left the cluster (or moved): close and stop re-dialing. */
        void stop() {
            stopped = true;
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }

        Outbound(long peerId, InetSocketAddress address) {
            this.peerId = peerId;
            this.address = address;
        }

        void connect() {
            if (closed || stopped) {
                return;
            }
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(socketChannel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 32 << 20))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (clientTls != null) {
                                // host and port: the peer's certificate must name the host it is dialed at
                                ch.pipeline().addLast(clientTls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                            }
                            ch.pipeline().addLast(frameDecoder(), new Dialed(Outbound.this));
                        }
                    });
            b.connect(address).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    scheduleReconnect(f.cause());
                } else if (stopped) {
                    f.channel().close();
                } else {
                    SslHandler tls = f.channel().pipeline().get(SslHandler.class);
                    if (tls == null) {
                        established(f.channel());
                    } else {
                        tls.handshakeFuture().addListener(h -> {
                            if (h.isSuccess()) {
                                established(f.channel());
                            } else {
                                f.channel().close();
                                scheduleReconnect(new IOException("TLS handshake failed: " + h.cause().getMessage(), h.cause()));
                            }
                        });
                    }
                }
            });
        }

        /** The connection is up (after its TLS handshake, if any): say hello, then carry frames. */
        private void established(Channel ch) {
            if (stopped) {
                ch.close();
                return;
            }
            ByteBuf hello = ch.alloc().buffer(4 + 1 + 4 + 1 + 24);
            hello.writeInt(1 + 4 + 1 + 24).writeByte(PeerWire.HELLO).writeInt(PeerWire.MAGIC)
                    .writeByte(PeerWire.VERSION).writeLong(clusterId).writeLong(selfId).writeLong(peerId);
            ch.writeAndFlush(hello);
            closeCause = null;
            channel = ch;
            long establishedNs = clock.nanoTime();
            ch.closeFuture().addListener(c -> {
                channel = null;
                if (clock.nanoTime() - establishedNs >= STABLE_NS) {
                    backoffMs = MIN_BACKOFF_MS;
                }
                // Later on the event loop: SslHandler closes the channel before it reports the alert
                // that made it close (exceptionCaught), and that alert is what the warning should say.
                ch.eventLoop().execute(() -> {
                    Throwable cause = closeCause;
                    closeCause = null;
                    scheduleReconnect(cause);
                });
            });
            // Healthy only once it has lasted: under TLS 1.3 the dialer finishes its handshake
            // before the listener has checked the dialer's certificate, so a refused member would
            // otherwise look connected and re-dial at the shortest backoff forever.
            group.schedule(() -> {
                if (ch.isActive() && warned) {
                    LOG.info("peer {} ({}) reachable again", name(peerId), address);
                    warned = false;
                }
            }, STABLE_NS, TimeUnit.NANOSECONDS);
        }

        void scheduleReconnect(Throwable cause) {
            if (closed || stopped) {
                return;
            }
            long now = clock.nanoTime();
            if (cause != null && (!warned || now - lastWarnNs > WARN_EVERY_NS)) {
                LOG.warn("peer {} ({}) unreachable: {}; retrying every {}-{} ms",
                        name(peerId), address, cause.getMessage(), MIN_BACKOFF_MS, MAX_BACKOFF_MS);
                warned = true;
                lastWarnNs = now;
            }
            long delay = backoffMs;
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            try {
                group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // closing
            }
        }
    }

    /** Inbound on a dialed connection: only a REJECT is expected. */
    private final class Dialed extends SimpleChannelInboundHandler<ByteBuf> {
        private final Outbound outbound;

        Dialed(Outbound outbound) {
            this.outbound = outbound;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (frame.readByte() == PeerWire.REJECT) {
                String reason = frame.toString(StandardCharsets.UTF_8);
                LOG.error("peer {} ({}) rejected this member: {}", name(outbound.peerId), outbound.address, reason);
                outbound.backoffMs = MAX_BACKOFF_MS;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The listener's TLS alert when it refuses this member's certificate is worth a warning;
            // a peer going away (connection reset) is not: its re-dial says whether it is gone.
            for (Throwable c = cause; c != null; c = c.getCause()) {
                if (c instanceof javax.net.ssl.SSLException) {
                    outbound.closeCause = c;
                    break;
                }
            }
            ctx.close();
        }
    }

    /** An accepted connection: a peer (after HELLO) or an admin client. */
    private final class Accepted extends SimpleChannelInboundHandler<ByteBuf> {
        private long from; // 0 until a valid HELLO

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte kind = frame.readByte();
            switch (kind) {
                case PeerWire.HELLO -> hello(ctx, frame);
                case PeerWire.RAFT -> {
                    if (from == 0) {
                        ctx.close();
                        return;
                    }
                    listener.onRaftBatch(from, frame.nioBuffer());
                }
                case PeerWire.ADMIN_REQUEST -> admin(ctx, frame);
                default -> {
                    LOG.warn("unexpected frame kind {} from {}; closing", kind, ctx.channel().remoteAddress());
                    ctx.close();
                }
            }
        }

        private void hello(ChannelHandlerContext ctx, ByteBuf f) {
            int magic = f.readInt();
            byte version = f.readByte();
            long cluster = f.readLong();
            long sender = f.readLong();
            long to = f.readLong();
            String problem = null;
            if (magic != PeerWire.MAGIC || version != PeerWire.VERSION) {
                problem = "not a kplane peer of wire version " + PeerWire.VERSION;
            } else if (cluster != clusterId) {
                problem = "cluster id mismatch: listener " + listen + " is in cluster " + Long.toHexString(clusterId)
                        + ", the dialer in cluster " + Long.toHexString(cluster) + " (different --initial-cluster or token?)";
            } else if (to != selfId) {
                problem = "member id mismatch: listener " + listen + " is member " + Long.toHexString(selfId)
                        + ", the dialer expected member " + Long.toHexString(to);
            } else if (!peerAddresses.containsKey(sender)) {
                problem = "unknown member " + Long.toHexString(sender);
            }
            if (problem != null) {
                LOG.error("rejecting peer connection from {}: {}", ctx.channel().remoteAddress(), problem);
                byte[] reason = problem.getBytes(StandardCharsets.UTF_8);
                ByteBuf r = ctx.alloc().buffer(5 + reason.length).writeInt(1 + reason.length)
                        .writeByte(PeerWire.REJECT).writeBytes(reason);
                ctx.writeAndFlush(r).addListener(x -> ctx.close());
                return;
            }
            from = sender;
        }

        private void admin(ChannelHandlerContext ctx, ByteBuf f) {
            long requestId = f.readLong();
            byte op = f.readByte();
            byte[] body = new byte[f.readableBytes()];
            f.readBytes(body);
            listener.onAdminRequest(op, body).whenComplete((result, error) -> {
                byte status = 0;
                byte[] payload = result;
                if (error != null) {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    status = 1;
                    payload = (cause.getClass().getSimpleName() + ": " + cause.getMessage()).getBytes(StandardCharsets.UTF_8);
                }
                ByteBuf r = Unpooled.buffer(4 + 1 + 8 + 1 + payload.length);
                r.writeInt(1 + 8 + 1 + payload.length).writeByte(PeerWire.ADMIN_RESPONSE)
                        .writeLong(requestId).writeByte(status).writeBytes(payload);
                ctx.writeAndFlush(r);
            });
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
                LOG.warn("rejecting peer connection from {}: TLS handshake failed: {}", ctx.channel().remoteAddress(),
                        done.cause().getMessage());
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("peer connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
