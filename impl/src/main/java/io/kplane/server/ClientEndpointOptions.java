package io.kplane.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Options of a member's client endpoint beyond its address, with etcd's flag names:
 * {@code --listen-metrics-urls} ({@code metrics}, null for none) and client TLS
 * ({@code --cert-file}, {@code --key-file}, {@code --trusted-ca-file}, {@code --client-cert-auth};
 * {@code certFile} null for plaintext).
 */
public record ClientEndpointOptions(InetSocketAddress metrics, Path certFile, Path keyFile, Path trustedCaFile,
                                    boolean clientCertAuth) {
    public static final ClientEndpointOptions NONE = new ClientEndpointOptions(null, null, null, null, false);

    public boolean isEmpty() {
        return metrics == null && certFile == null && keyFile == null && trustedCaFile == null && !clientCertAuth;
    }
}
