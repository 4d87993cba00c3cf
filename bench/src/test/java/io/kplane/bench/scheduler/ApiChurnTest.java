package io.kplane.bench.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.apiserver.ApiServer;
import io.kplane.apiserver.Authenticator;
import io.kplane.apiserver.EmbeddedStorage;
import io.kplane.apiserver.ServingCerts;
import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Json;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import io.kplane.model.Service;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MixedChurn op through the real API server, in recreate mode: each step replaces the
 * previous step's node, pod and service, so at any moment exactly one of each exists, and the
 * nodes it deleted are gone from the API.
 */
class ApiChurnTest {
    @TempDir Path dir;

    @Test
    void eachStepRecreatesOneNodeOnePodAndOneServiceAndTheFirstRunsBeforeStartReturns() throws Exception {
        EmbeddedStorage storage = new EmbeddedStorage();
        String token = io.kplane.apiserver.Kubeconfig.newToken();
        ServingCerts certs = ServingCerts.createOrLoad(dir.resolve("pki"), "127.0.0.1");
        ApiServer server = new ApiServer(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", 0), new Authenticator(
                Map.of(token, new Authenticator.User("t", "t", List.of("system:masters"))), false))
                .withSsl(certs.serverContext()), storage);
        try {
            int port = server.start().getPort();
            io.kplane.apiserver.Kubeconfig.write(dir.resolve("kubeconfig"), "https://127.0.0.1:" + port, certs.caPem(), token);
            KubeClient client = KubeClient.fromKubeconfig(dir.resolve("kubeconfig"));
            client.create(ApiResource.PRIORITY_CLASSES, Json.read("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":"
                    + "\"PriorityClass\",\"metadata\":{\"name\":\"high\"},\"value\":10}", PriorityClass.class));
            ApiWorkload w = ApiWorkload.select(ApiWorkload.all(500), List.of("SchedulingWithMixedChurn")).get(0);
            assertThat(w.churn()).isTrue();

            ApiChurn churn = new ApiChurn(client, w, Duration.ofMillis(100)).start();
            try {
                assertThat(churn.ops()).as("the first step runs before the measured pods are created").isGreaterThanOrEqualTo(1);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (churn.ops() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                churn.close();
            }
            assertThat(churn.errors()).isEmpty();
            assertThat(churn.ops()).isGreaterThanOrEqualTo(4);
            List<Node> nodes = client.listAll(ApiResource.NODES, null, ListOptions.NONE).items();
            List<Pod> pods = client.listAll(ApiResource.PODS, "default", ListOptions.NONE).items();
            List<Service> services = client.listAll(ApiResource.SERVICES, "default", ListOptions.NONE).items();
            assertThat(nodes).hasSize(1);
            assertThat(pods).hasSize(1);
            assertThat(services.stream().filter(s -> s.metadata().name().startsWith("churn-svc-"))).hasSize(1);
            assertThat(churn.deletedNodes()).hasSize(churn.ops() - 1).doesNotContain(nodes.get(0).metadata().name());
            Pod p = pods.get(0);
            assertThat(ApiChurn.isChurnPod(p.metadata().name())).isTrue();
            assertThat(p.spec().priority()).isEqualTo(10);
            assertThat(p.spec().containers().get(0).resources().requests().get("cpu").toString()).isEqualTo("9");
        } finally {
            server.close();
            storage.close();
        }
    }
}
