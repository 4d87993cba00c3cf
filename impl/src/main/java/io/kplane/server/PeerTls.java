package io.kplane.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS for peer traffic (Raft, snapshots, member list, forwarded promotes, admin requests: everything
 * on the peer port), with etcd's flags: {@code --peer-cert-file} and {@code --peer-key-file} (PEM,
 * the key PKCS#8), {@code --peer-trusted-ca-file} (PEM) and {@code --peer-client-cert-auth}.
 *
 * <p>As in etcd, a member presents the same certificate when it accepts a peer connection and when
 * it dials one, so the certificate should allow both server and client use. A dialing member checks
 * the peer's certificate against the trusted CA (the JDK's roots when none is given) and its name
 * against the host of the peer URL, as etcd's Go client does; an accepting member checks the
 * dialer's certificate only with {@code --peer-client-cert-auth}, which is what keeps members
 * without a certificate of that CA out of the cluster.
 */
public record PeerTls(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {
    public PeerTls {
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("peer TLS needs both --peer-cert-file and --peer-key-file");
        }
        if (clientCertAuth && trustedCaFile == null) {
            throw new IllegalArgumentException("--peer-client-cert-auth needs --peer-trusted-ca-file");
        }
    }

    /**
     * For accepting peer connections.
     *
     * @throws IllegalArgumentException if a file cannot be read or holds no usable certificate or key
     */
    public SslContext serverContext() {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile());
            if (trustedCaFile != null) {
                b.trustManager(trustedCaFile.toFile());
            }
            return b.clientAuth(clientCertAuth ? ClientAuth.REQUIRE : ClientAuth.NONE).build();
        } catch (IOException | IllegalArgumentException e) {
            throw unusable(e);
        }
    }

    /**
     * For dialing peers: presents this member's certificate, verifies the peer's and its host name.
     * The JDK provider, so that the blocking calls of {@link #connect} can use its {@code SSLContext}.
     *
     * @throws IllegalArgumentException if a file cannot be read or holds no usable certificate or key
     */
    public SslContext clientContext() {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .keyManager(certFile.toFile(), keyFile.toFile())
                    .endpointIdentificationAlgorithm("HTTPS");
            if (trustedCaFile != null) {
                b.trustManager(trustedCaFile.toFile());
            }
            return b.build();
        } catch (IOException | IllegalArgumentException e) {
            throw unusable(e);
        }
    }

    private IllegalArgumentException unusable(Exception e) {
        return new IllegalArgumentException("cannot load the peer TLS certificates (" + certFile + ", " + keyFile
                + (trustedCaFile == null ? "" : ", " + trustedCaFile) + "): " + e.getMessage(), e);
    }

    /**
     * A blocking TLS connection to a peer port, handshake done: for the rare request/response calls
     * ({@link PeerCall}, test clients) that do not go through the Netty transport.
     *
     * @throws IOException if the peer cannot be reached or the handshake fails (e.g. its certificate
     *                     is not signed by the trusted CA, or it refuses this member's)
     */
    public Socket connect(InetSocketAddress peer, int timeoutMs) throws IOException {
        JdkSslContext context = (JdkSslContext) clientContext();
        Socket plain = new Socket();
        try {
            plain.connect(peer, timeoutMs);
            plain.setSoTimeout(timeoutMs);
            SSLSocket tls = (SSLSocket) context.context().getSocketFactory()
                    .createSocket(plain, peer.getHostString(), peer.getPort(), true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
