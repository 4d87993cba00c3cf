package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.apiserver.ApiServer;
import io.kplane.apiserver.Authenticator;
import io.kplane.apiserver.EmbeddedStorage;
import io.kplane.apiserver.Kubeconfig;
import io.kplane.apiserver.ServingCerts;
import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.Eventually;
import io.kplane.client.KubeClient;
import io.kplane.model.Node;
import io.kplane.model.Status;
import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubelet started before its API server can answer keeps trying to register, as upstream's does:
 * under {@code kplane up} the store may still be electing a leader when the kubelets start, and a
 * kubelet that exited on the first 503 left the cluster with no nodes.
 */
class RegistrationRetryTest {

    @Test
    void aKubeletStartedBeforeItsApiServerRegistersOnceTheServerAnswers(@TempDir Path dir) throws Exception {
        // The kubeconfig names a port nobody listens on yet; the API server comes up there later.
        int port = ChildJvm.freePort();
        String token = Kubeconfig.newToken();
        ServingCerts certs = ServingCerts.createOrLoad(dir.resolve("pki"), "127.0.0.1");
        Path kubeconfig = dir.resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + port, certs.caPem(), token);
        KubeClient client = KubeClient.fromKubeconfig(kubeconfig);

        HollowKubelet kubelet = new HollowKubelet(client, KubeletConfig.hollow("late-", 1, "zone-a"), InstantSource.system());
        CompletableFuture<HollowKubelet> started = CompletableFuture.supplyAsync(() -> {
            try {
                return kubelet.start();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1_000);   // several refused connections: 100 + 200 + 400 ms of backoff
        assertThat(started).as("still trying, not failed").isNotDone();

        Authenticator auth = new Authenticator(Map.of(token,
                new Authenticator.User("admin", "admin", List.of("system:masters", "system:authenticated"))), false);
        try (EmbeddedStorage storage = new EmbeddedStorage();
                ApiServer server = new ApiServer(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", port), auth)
                        .withSsl(certs.serverContext()), storage)) {
            server.start();
            started.get(30, TimeUnit.SECONDS);
            Node node = Eventually.await("the Node", () -> client.getOrNull(ApiResource.NODES, null, "late-1"), n -> n != null);
            assertThat(node.metadata().labels()).containsEntry("kubernetes.io/hostname", "late-1");
        } finally {
            kubelet.stop();
        }
    }

    @Test
    void onlyUnreachableOverloadedOrFailingServersAreRetried() {
        assertThat(HollowKubelet.transientFailure(new UncheckedIOException(new IOException("connection refused")))).isTrue();
        assertThat(HollowKubelet.transientFailure(error(503))).isTrue();
        assertThat(HollowKubelet.transientFailure(error(500))).isTrue();
        assertThat(HollowKubelet.transientFailure(error(429))).isTrue();
        // a refusal will not change by asking again: the kubelet fails at once, with the server's reason
        assertThat(HollowKubelet.transientFailure(error(403))).isFalse();
        assertThat(HollowKubelet.transientFailure(error(422))).isFalse();
        assertThat(HollowKubelet.transientFailure(new IllegalStateException("bug"))).isFalse();
    }

    private static ApiException error(int code) {
        return new ApiException(code, Status.failure(code, "Reason", "message", null));
    }
}
