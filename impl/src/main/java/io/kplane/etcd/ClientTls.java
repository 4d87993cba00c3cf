package io.kplane.etcd;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * TLS for the client port, with etcd's flags: {@code --cert-file} and {@code --key-file} (PEM, the
 * key PKCS#8), {@code --trusted-ca-file} (PEM) and {@code --client-cert-auth} (clients must present
 * a certificate signed by that CA).
 */
public record ClientTls(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {
    public ClientTls {
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("TLS needs both --cert-file and --key-file");
        }
        if (clientCertAuth && trustedCaFile == null) {
            throw new IllegalArgumentException("--client-cert-auth needs --trusted-ca-file");
        }
    }

    SslContext serverContext() {
        try {
            SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile()));
            if (trustedCaFile != null) {
                b.trustManager(trustedCaFile.toFile());
            }
            b.clientAuth(clientCertAuth ? ClientAuth.REQUIRE : ClientAuth.NONE);
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the client TLS certificates", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the client TLS certificates: " + e.getMessage(), e);
        }
    }
}
