package io.kplane.client;

import io.kplane.apiserver.ApiServer;
import io.kplane.apiserver.Authenticator;
import io.kplane.apiserver.EmbeddedStorage;
import io.kplane.apiserver.ServingCerts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real kplane API server, in this JVM, on a loopback port, over TLS with a bearer token —
 * and the kubeconfig it would give users. Tests reach it only through that kubeconfig, as any
 * component would.
 */
public final class RealApiServer implements AutoCloseable {
    private final EmbeddedStorage storage;
    private final ApiServer server;
    private final Path kubeconfig;

    public RealApiServer(Path dir) throws Exception {
        this(dir, java.util.function.UnaryOperator.identity());
    }

    /** With {@code serviceClusterIpRange} as the server's service CIDR(s): two of different families make it dual-stack. */
    public RealApiServer(Path dir, String serviceClusterIpRange) throws Exception {
        this(dir, c -> c.withServiceClusterIpRange(serviceClusterIpRange));
    }

    /** @param configure changes the server's settings (e.g. its admission defaults) before it starts */
    public RealApiServer(Path dir, java.util.function.UnaryOperator<ApiServer.Config> configure) throws Exception {
        storage = new EmbeddedStorage();
        String token = io.kplane.apiserver.Kubeconfig.newToken();
        Authenticator auth = new Authenticator(Map.of(token,
                new Authenticator.User("admin", "admin", List.of("system:masters", "system:authenticated"))), false);
        ServingCerts certs = ServingCerts.createOrLoad(dir.resolve("pki"), "127.0.0.1");
        server = new ApiServer(configure.apply(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", 0), auth)
                .withSsl(certs.serverContext())), storage);
        InetSocketAddress bound = server.start();
        kubeconfig = dir.resolve("kubeconfig");
        Files.createDirectories(dir);
        io.kplane.apiserver.Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + bound.getPort(), certs.caPem(), token);
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public KubeClient client() throws java.io.IOException {
        return KubeClient.fromKubeconfig(kubeconfig);
    }

    public EmbeddedStorage storage() {
        return storage;
    }

    public ApiServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        storage.close();
    }
}
