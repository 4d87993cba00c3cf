package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 watch outbox on a real event loop and loopback sockets: a big batch of watch writes
 * leaves in order, and a request arriving meanwhile on another connection of the same loop is read
 * after one slice of the batch, not after all of it (which is what made writers wait 800 ms per
 * acknowledgement at 10,000 watchers).
 */
class Http1OutboxTest {
  private final EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<Channel> accepted = new ArrayBlockingQueue<>(4);
  private final AtomicInteger written = new AtomicInteger();
  /** How many outbox writes had reached the socket when the server read the other connection's request. */
  private final BlockingQueue<Integer> writtenWhenRequestRead = new ArrayBlockingQueue<>(1);

  @AfterEach
  void close() {
    serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private int listen() throws InterruptedException {
    Channel server = new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                writtenWhenRequestRead.offer(written.get());
              }
            });
            accepted.add(ch);
          }
        }).bind("127.0.0.1", 0).sync().channel();
    return ((java.net.InetSocketAddress) server.localAddress()).getPort();
  }

  /** A client connection that collects what it receives. */
  private Channel connect(int port, StringBuilder received) throws InterruptedException {
    return new Bootstrap().group(clientLoop).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) msg;
        synchronized (received) {
          received.append(b.toString(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.release();
      }
    }).connect("127.0.0.1", port).sync().channel();
  }

  @Test
  void aRequestIsReadAfterOneSliceOfABigBatchAndTheBatchKeepsItsOrder() throws Exception {
    int port = listen();
    StringBuilder watchReceived = new StringBuilder();
    connect(port, watchReceived);
    Channel watchServerSide = accepted.poll(10, TimeUnit.SECONDS);
    Channel requester = connect(port, new StringBuilder());
    assertThat(accepted.poll(10, TimeUnit.SECONDS)).isNotNull();

    // Hold the loop so that the whole batch and the request are waiting when it resumes.
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    serverLoop.execute(() -> {
      held.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    int batch = Http1Outbox.SLICE * 40;
    Http1Outbox outbox = Http1Outbox.of(watchServerSide);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      String line = i + "\n";
      expected.add(line);
      outbox.writeAndFlush(watchServerSide, Unpooled.copiedBuffer(line, java.nio.charset.StandardCharsets.US_ASCII),
          f -> written.incrementAndGet());
    }
    requester.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'?'})).sync();
    Thread.sleep(100); // the request's bytes reach the server's socket while its loop is held
    release.countDown();

    Integer atRead = writtenWhenRequestRead.poll(10, TimeUnit.SECONDS);
    assertThat(atRead).as("the request was read").isNotNull();
    assertThat(atRead).as("writes done when the request was read (of %d)", batch).isLessThanOrEqualTo(2 * Http1Outbox.SLICE);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String all = String.join("", expected);
    while (System.nanoTime() < deadline) {
      synchronized (watchReceived) {
        if (watchReceived.length() >= all.length()) {
          break;
        }
      }
      Thread.sleep(5);
    }
    synchronized (watchReceived) {
      assertThat(watchReceived.toString()).as("every write, in order").isEqualTo(all);
    }
    assertThat(written.get()).isEqualTo(batch);
  }
}
