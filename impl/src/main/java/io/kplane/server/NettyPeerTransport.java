package io.kplane.server;

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
 */
public final class NettyPeerTransport implements PeerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyPeerTransport.class);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 2000;
    private static final long WARN_EVERY_NS = TimeUnit.SECONDS.toNanos(30);

    private final long clusterId;
    private final long selfId;
    private final InetSocketAddress listen;
    private volatile Map<Long, InetSocketAddress> peerAddresses;
    private volatile Map<Long, String> peerNames;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends ServerChannel> serverChannel;
    private final Map<Long, Outbound> outbound = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final io.netty.channel.group.ChannelGroup accepted =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private volatile InboundListener listener;
    private volatile boolean closed;
    private Channel server;

    /**
     * @param peers every other member: id → address; {@code names} for log messages
     */
    public NettyPeerTransport(long clusterId, long selfId, InetSocketAddress listen,
                              Map<Long, InetSocketAddress> peers, Map<Long, String> names) {
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
                            ch.pipeline().addLast(frameDecoder(), new Dialed(Outbound.this));
                        }
                    });
            b.connect(address).addListener((ChannelFuture f) -> {
                if (f.isSuccess() && stopped) {
                    f.channel().close();
                } else if (f.isSuccess()) {
                    ByteBuf hello = f.channel().alloc().buffer(4 + 1 + 4 + 1 + 24);
                    hello.writeInt(1 + 4 + 1 + 24).writeByte(PeerWire.HELLO).writeInt(PeerWire.MAGIC)
                            .writeByte(PeerWire.VERSION).writeLong(clusterId).writeLong(selfId).writeLong(peerId);
                    f.channel().writeAndFlush(hello);
                    channel = f.channel();
                    if (warned) {
                        LOG.info("peer {} ({}) reachable again", name(peerId), address);
                        warned = false;
                    }
                    backoffMs = MIN_BACKOFF_MS;
                    f.channel().closeFuture().addListener(c -> {
                        channel = null;
                        scheduleReconnect(null);
                    });
                } else {
                    scheduleReconnect(f.cause());
                }
            });
        }

        void scheduleReconnect(Throwable cause) {
            if (closed || stopped) {
                return;
            }
            long now = System.nanoTime();
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
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("peer connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
