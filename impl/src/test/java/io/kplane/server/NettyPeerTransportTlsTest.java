package io.kplane.server;

import static io.kplane.server.NettyPeerTransportTest.awaitConnected;
import static io.kplane.server.NettyPeerTransportTest.freePort;
import static io.kplane.server.NettyPeerTransportTest.poll;
import static io.kplane.server.NettyPeerTransportTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer transport over TLS ({@link PeerTls}) on loopback, with certificates of two CAs made in the
 * test: frames and admin requests flow between members of one CA; a member whose certificate another
 * CA signed gets nothing through, in either direction; a certificate that does not name the dialed
 * host is refused; a plaintext client gets no answer.
 */
class NettyPeerTransportTlsTest {

    @TempDir
    Path dir;

    private TestCertificateAuthority ca;
    private TestCertificateAuthority otherCa;

    @BeforeEach
    void certificateAuthorities() throws Exception {
        ca = TestCertificateAuthority.create(dir, "cluster");
        otherCa = TestCertificateAuthority.create(dir, "other");
    }

    private static PeerTls tls(TestCertificateAuthority.Issued cert, TestCertificateAuthority trusted, boolean clientCertAuth) {
        return new PeerTls(cert.certFile(), cert.keyFile(), trusted.caFile(), clientCertAuth);
    }

    /**
     * Member 1 (dialing with {@code dialer}) keeps sending to member 2 (listening on {@code at} with
     * {@code listener}) for {@code seconds}; the first frame member 2 received, or null.
     */
    private static String firstFrameDelivered(PeerTls dialer, PeerTls listener, InetSocketAddress at, int seconds)
            throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", freePort());
        NettyPeerTransportTest.Sink sb = new NettyPeerTransportTest.Sink();
        NettyPeerTransport ta = new NettyPeerTransport(99, 1, a, Map.of(2L, at), Map.of(2L, "b"), dialer);
        NettyPeerTransport tb = new NettyPeerTransport(99, 2, at, Map.of(1L, a), Map.of(1L, "a"), listener);
        try {
            tb.start(sb);
            ta.start(new NettyPeerTransportTest.Sink());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            String got = null;
            while (got == null && System.nanoTime() < deadline) {
                ta.send(2, utf8("from a"));
                got = sb.frames.poll(100, TimeUnit.MILLISECONDS);
            }
            return got;
        } finally {
            ta.close();
            tb.close();
        }
    }

    private static InetSocketAddress loopback() throws Exception {
        return new InetSocketAddress("127.0.0.1", freePort());
    }

    @Test
    void framesAndAdminRequestsFlowOverMutualTls() throws Exception {
        InetSocketAddress a = loopback();
        InetSocketAddress b = loopback();
        NettyPeerTransportTest.Sink sa = new NettyPeerTransportTest.Sink();
        NettyPeerTransportTest.Sink sb = new NettyPeerTransportTest.Sink();
        NettyPeerTransport ta = new NettyPeerTransport(99, 1, a, Map.of(2L, b), Map.of(2L, "b"), tls(ca.issue("a"), ca, true));
        NettyPeerTransport tb = new NettyPeerTransport(99, 2, b, Map.of(1L, a), Map.of(1L, "a"), tls(ca.issue("b"), ca, true));
        try {
            ta.start(sa);
            tb.start(sb);
            awaitConnected(ta, 2);
            awaitConnected(tb, 1);
            ta.send(2, utf8("hello b"));
            tb.send(1, utf8("hello a"));
            assertThat(poll(sb)).isEqualTo("1:hello b");
            assertThat(poll(sa)).isEqualTo("2:hello a");
            for (int i = 0; i < 100; i++) {
                ta.send(2, utf8("m" + i));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(poll(sb)).isEqualTo("1:m" + i);
            }

            // Admin requests and the members' own calls (PeerCall) share the peer port, so they speak TLS too.
            PeerTls admin = tls(ca.issue("admin"), ca, true);
            try (AdminClient c = new AdminClient(b, new byte[AdminToken.BYTES], admin, 5000)) {
                assertThat(c.status()).isEqualTo(new AdminStatus(7, 7, 3, 10, 9));
            }
            assertThatThrownBy(() -> PeerCall.call(b, admin, PeerWire.OP_MEMBERS, new byte[0], 5000))
                    .isInstanceOf(PeerCall.Refused.class).hasMessageContaining("no leader yet"); // the Sink's answer
            // Without TLS, or with a certificate of another CA, no answer.
            assertThatThrownBy(() -> {
                try (AdminClient c = new AdminClient(b, new byte[AdminToken.BYTES], 5000)) {
                    c.status();
                }
            }).isInstanceOf(IOException.class);
            PeerTls stranger = tls(otherCa.issue("stranger"), ca, false);
            assertThatThrownBy(() -> PeerCall.call(b, stranger, PeerWire.OP_MEMBERS, new byte[0], 5000))
                    .isInstanceOf(IOException.class).isNotInstanceOf(PeerCall.Refused.class);
        } finally {
            ta.close();
            tb.close();
        }
    }

    @Test
    void withClientCertAuthADialerCertifiedByAnotherCaGetsNothingThrough() throws Exception {
        // The dialer trusts the cluster's CA, so it accepts the listener; only the listener can refuse it.
        PeerTls stranger = tls(otherCa.issue("stranger"), ca, false);
        assertThat(firstFrameDelivered(stranger, tls(ca.issue("b"), ca, true), loopback(), 3))
                .as("refused by --peer-client-cert-auth").isNull();
        // The same dialer gets through to a listener that does not ask for client certificates: it
        // is --peer-client-cert-auth that keeps it out.
        assertThat(firstFrameDelivered(stranger, tls(ca.issue("b"), ca, false), loopback(), 10)).isEqualTo("1:from a");
    }

    @Test
    void aDialerRefusesAListenerCertifiedByAnotherCa() throws Exception {
        assertThat(firstFrameDelivered(tls(ca.issue("a"), ca, false), tls(otherCa.issue("b"), otherCa, false), loopback(), 3))
                .isNull();
        // Control: the same dialer to a listener of its own CA.
        assertThat(firstFrameDelivered(tls(ca.issue("a"), ca, false), tls(ca.issue("b"), ca, false), loopback(), 10))
                .isEqualTo("1:from a");
    }

    @Test
    void aDialerRefusesACertificateThatDoesNotNameTheDialedHost() throws Exception {
        // The certificates name 127.0.0.1 and localhost; 127.0.0.2 is loopback too, but not named.
        InetSocketAddress unnamed = new InetSocketAddress("127.0.0.2", freePort());
        assertThat(firstFrameDelivered(tls(ca.issue("a"), ca, false), tls(ca.issue("b"), ca, false), unnamed, 3)).isNull();
    }

    @Test
    void incompleteOrUnreadableSettingsAreClearErrors() throws Exception {
        TestCertificateAuthority.Issued cert = ca.issue("a");
        assertThatThrownBy(() -> new PeerTls(cert.certFile(), null, null, false))
                .hasMessageContaining("--peer-cert-file and --peer-key-file");
        assertThatThrownBy(() -> new PeerTls(null, cert.keyFile(), ca.caFile(), false))
                .hasMessageContaining("--peer-cert-file and --peer-key-file");
        assertThatThrownBy(() -> new PeerTls(cert.certFile(), cert.keyFile(), null, true))
                .hasMessageContaining("--peer-client-cert-auth needs --peer-trusted-ca-file");
        // A certificate where the key belongs: loading fails at construction, not at the first dial.
        PeerTls swapped = new PeerTls(cert.certFile(), cert.certFile(), ca.caFile(), true);
        assertThatThrownBy(() -> new NettyPeerTransport(1, 1, loopback(), Map.of(), Map.of(), swapped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot load the peer TLS certificates");
    }
}
