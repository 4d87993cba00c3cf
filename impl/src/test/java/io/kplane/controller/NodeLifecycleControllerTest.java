package io.kplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.Eventually;
import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.RealApiServer;
import io.kplane.model.Condition;
import io.kplane.model.Lease;
import io.kplane.model.LeaseSpec;
import io.kplane.model.Node;
import io.kplane.model.NodeStatus;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.Taint;
import io.kplane.model.Toleration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node lifecycle against the real API server, with a 2 s grace period and 1 s default toleration:
 * while the node's Lease is renewed nothing happens; when renewals stop the Node turns Unknown,
 * gets the unreachable taints, and its pods without a toleration are evicted while a pod that
 * tolerates unreachable forever stays.
 */
class NodeLifecycleControllerTest {
    @TempDir
    Path dir;

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        Eventually.until(what, Duration.ofSeconds(60), cond);
    }

    @Test
    void aNodeThatStopsRenewingItsLeaseIsMarkedUnknownTaintedAndDrained() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            Node n = client.create(ApiResource.NODES, Node.of(ObjectMeta.of(null, "n1"), null, null));
            client.updateStatus(ApiResource.NODES, n.withStatus(new NodeStatus(null, null, null,
                    List.of(new Condition("Ready", "True", "KubeletReady", "ok", null, Instant.now(), null, Instant.now(), null, null)),
                    null, null, null, null)));
            Lease lease = client.create(ApiResource.LEASES, Lease.of(ObjectMeta.of(NodeLifecycle.NODE_LEASE_NAMESPACE, "n1"),
                    LeaseSpec.of("n1", 40, Instant.now(), Instant.now(), 0)));
            Pod plain = Fixtures.pod("plain", null, null, true, "n1");
            client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "plain"), plain.spec()));
            client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "forever"), plain.spec().withTolerations(
                    List.of(new Toleration(NodeLifecycle.UNREACHABLE, "Exists", null, "NoExecute", null, null)))));

            ControllerManager cm = new ControllerManager(client, new ControllerManager.Config(1, Duration.ZERO,
                    new NodeLifecycle.Config(Duration.ofSeconds(2), 1), Duration.ofMillis(200), Duration.ofSeconds(5), null))
                    .start(Duration.ofSeconds(30));
            try {
                // renew for a while: the node stays Ready
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < until) {
                    lease = client.update(ApiResource.LEASES, lease.withSpec(lease.spec().withRenewTime(Instant.now())));
                    Thread.sleep(300);
                }
                Node healthy = client.get(ApiResource.NODES, null, "n1");
                assertThat(Condition.find(healthy.status().conditions(), "Ready").status()).isEqualTo("True");
                assertThat(healthy.spec() == null ? List.of() : healthy.spec().taints()).isEmpty();

                // silence
                eventually("Ready=Unknown", () -> "Unknown".equals(Condition.find(
                        client.get(ApiResource.NODES, null, "n1").status().conditions(), "Ready").status()));
                eventually("unreachable NoExecute taint", () -> {
                    Node node = client.get(ApiResource.NODES, null, "n1");
                    return node.spec() != null && node.spec().taints().stream()
                            .anyMatch(t -> t.key().equals(NodeLifecycle.UNREACHABLE) && t.effect().equals("NoExecute"));
                });
                Taint t = client.get(ApiResource.NODES, null, "n1").spec().taints().stream()
                        .filter(x -> x.effect().equals("NoExecute")).findFirst().orElseThrow();
                assertThat(t.timeAdded()).isNotNull();
                eventually("the plain pod evicted", () -> {
                    Pod p = client.getOrNull(ApiResource.PODS, "default", "plain");
                    return p == null || p.metadata().deletionTimestamp() != null;
                });
                Thread.sleep(1500);
                Pod tolerating = client.get(ApiResource.PODS, "default", "forever");
                assertThat(tolerating.metadata().deletionTimestamp()).as("tolerates unreachable forever").isNull();

                // the kubelet comes back
                client.update(ApiResource.LEASES, client.get(ApiResource.LEASES, NodeLifecycle.NODE_LEASE_NAMESPACE, "n1")
                        .withSpec(lease.spec().withRenewTime(Instant.now())));
                Node back = client.get(ApiResource.NODES, null, "n1");
                client.updateStatus(ApiResource.NODES, back.withStatus(back.status().withConditions(List.of(
                        new Condition("Ready", "True", "KubeletReady", "ok", null, Instant.now(), null, Instant.now(), null, null)))));
                eventually("taints removed", () -> {
                    Node node = client.get(ApiResource.NODES, null, "n1");
                    return node.spec().taints().stream().noneMatch(x -> x.key().equals(NodeLifecycle.UNREACHABLE));
                });
            } finally {
                cm.close();
            }
        }
    }
}
