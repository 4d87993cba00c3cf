package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyPeerTransportTest {

    /** Collects what arrives. */
    static final class Sink implements InboundListener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

        @Override
        public void onRaftBatch(long from, ByteBuffer body) {
            byte[] b = new byte[body.remaining()];
            body.get(b);
            frames.add(from + ":" + new String(b, StandardCharsets.UTF_8));
        }

        @Override
        public CompletableFuture<byte[]> onAdminRequest(byte op, byte[] body) {
            if (op == PeerWire.OP_STATUS) {
                return CompletableFuture.completedFuture(new AdminStatus(7, 7, 3, 10, 9).encode());
            }
            return CompletableFuture.failedFuture(new NoLeaderException("no leader yet"));
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String poll(Sink s) throws InterruptedException {
        return s.frames.poll(10, TimeUnit.SECONDS);
    }

    static void awaitConnected(PeerTransport t, long to) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!t.isConnected(to) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(t.isConnected(to)).as("connected to " + to).isTrue();
    }

    @Test
    void framesFlowBothWaysAndReconnectAfterPeerRestart() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort());
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", freePort());
        Sink sa = new Sink();
        Sink sb = new Sink();
        NettyPeerTransport ta = new NettyPeerTransport(99, 1, a, Map.of(2L, b), Map.of(2L, "b"));
        NettyPeerTransport tb = new NettyPeerTransport(99, 2, b, Map.of(1L, a), Map.of(1L, "a"));
        try {
            ta.start(sa);
            tb.start(sb);
            awaitConnected(ta, 2);
            awaitConnected(tb, 1);
            ta.send(2, utf8("hello b"));
            tb.send(1, utf8("hello a"));
            assertThat(poll(sb)).isEqualTo("1:hello b");
            assertThat(poll(sa)).isEqualTo("2:hello a");
            // Order is preserved on one connection.
            for (int i = 0; i < 100; i++) {
                ta.send(2, utf8("m" + i));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(poll(sb)).isEqualTo("1:m" + i);
            }
            // b restarts: a re-dials with backoff and frames flow again.
            tb.close();
            NettyPeerTransport tb2 = new NettyPeerTransport(99, 2, b, Map.of(1L, a), Map.of(1L, "a"));
            tb = tb2;
            Sink sb2 = new Sink();
            tb2.start(sb2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String got = null;
            while (got == null && System.nanoTime() < deadline) {
                ta.send(2, utf8("again"));
                got = sb2.frames.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(got).isEqualTo("1:again");
        } finally {
            ta.close();
            tb.close();
        }
    }

    @Test
    void peerOfAnotherClusterIsRejected() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort());
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", freePort());
        Sink sb = new Sink();
        NettyPeerTransport ta = new NettyPeerTransport(1111, 1, a, Map.of(2L, b), Map.of(2L, "b"));
        NettyPeerTransport tb = new NettyPeerTransport(2222, 2, b, Map.of(1L, a), Map.of(1L, "a"));
        try {
            tb.start(sb);
            ta.start(new Sink());
            for (int i = 0; i < 20; i++) {
                ta.send(2, utf8("should not arrive"));
                Thread.sleep(20);
            }
            assertThat(sb.frames.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            ta.close();
            tb.close();
        }
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            NettyPeerTransport t = new NettyPeerTransport(1, 1, a, Map.of(), Map.of());
            assertThatThrownBy(() -> t.start(new Sink()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("address already in use")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void adminRequestsGetResponsesAndErrors() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort());
        NettyPeerTransport t = new NettyPeerTransport(1, 7, a, Map.of(), Map.of());
        try {
            t.start(new Sink());
            try (AdminClient c = new AdminClient(a, new byte[AdminToken.BYTES], 5000)) {
                AdminStatus s = c.status();
                assertThat(s).isEqualTo(new AdminStatus(7, 7, 3, 10, 9));
                assertThat(s.isLeader()).isTrue();
                assertThatThrownBy(() -> c.propose(new byte[] {1}))
                        .isInstanceOf(AdminClient.AdminException.class)
                        .hasMessageContaining("NoLeaderException").hasMessageContaining("no leader yet");
                // The connection stays usable after an error.
                assertThat(c.status().term()).isEqualTo(3);
            }
        } finally {
            t.close();
        }
    }

    /**
     * A peer that accepts the connection but stops reading: the channel stays active but turns
     * unwritable, and frames are dropped. send() must say so (the Raft agent then reports the peer
     * unreachable); it used to drop them silently while isConnected() kept answering true.
     */
    @Test
    void sendReportsFramesDroppedOnAnUnwritableConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            silent.setReceiveBufferSize(64 * 1024);
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort());
            InetSocketAddress b = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            NettyPeerTransport ta = new NettyPeerTransport(99, 1, a, Map.of(2L, b), Map.of(2L, "b"));
            try {
                ta.start(new Sink());
                java.net.Socket accepted = silent.accept(); // never read from
                awaitConnected(ta, 2);
                byte[] chunk = new byte[256 * 1024];
                boolean dropped = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int sent = 0;
                while (!dropped && System.nanoTime() < deadline) {
                    dropped = !ta.send(2, ByteBuffer.wrap(chunk));
                    sent++;
                    if (sent % 64 == 0) {
                        Thread.sleep(5); // let the event loop flush into the socket until it stalls
                    }
                }
                assertThat(dropped).as("a frame is reported dropped after " + sent + " frames").isTrue();
                assertThat(ta.isConnected(2)).isTrue(); // connected all along: only send() can tell
                assertThat(ta.droppedFrames()).isPositive();
                accepted.close();
            } finally {
                ta.close();
            }
        }
    }
}
