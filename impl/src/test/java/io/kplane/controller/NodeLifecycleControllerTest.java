package io.kplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.apiserver.DefaultTolerationSeconds;
import io.kplane.client.ApiResource;
import io.kplane.client.Eventually;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taint-based eviction end to end: the real API server (its DefaultTolerationSeconds admission
 * set to 10 s) and the real controller-manager (2 s grace period). While the node's Lease is
 * renewed nothing happens; when renewals stop the Node turns Unknown and gets the unreachable
 * NoExecute taint, then each pod goes when its tolerations say:
 * <ul>
 *   <li>{@code mismatched} tolerates unreachable only with a value the taint does not have: no
 *       toleration matches, so it is evicted at once (admission saw an unreachable toleration and
 *       added none);</li>
 *   <li>{@code short} tolerates unreachable for 6 s;</li>
 *   <li>{@code defaulted} was created without tolerations: the API server gave it 10 s ones;</li>
 *   <li>{@code forever} tolerates unreachable without tolerationSeconds and stays.</li>
 * </ul>
 * No kubelet runs, so an evicted pod stays Terminating: its deletionTimestamp minus its grace
 * period is the second the eviction request reached the API server — a server-side record that
 * lets the test assert "not before N s" without depending on when it looks.
 */
class NodeLifecycleControllerTest {
    static final long SHORT_SECONDS = 6;
    static final long DEFAULT_SECONDS = 10;

    @TempDir
    Path dir;

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        Eventually.until(what, Duration.ofSeconds(60), cond);
    }

    static boolean evicted(KubeClient client, String name) {
        Pod p = client.getOrNull(ApiResource.PODS, "default", name);
        return p == null || p.metadata().deletionTimestamp() != null;
    }

    /** The second at which the API server accepted the pod's deletion. */
    static Instant evictedAt(KubeClient client, String name) {
        Pod p = client.get(ApiResource.PODS, "default", name);
        return p.metadata().deletionTimestamp().minusSeconds(p.metadata().deletionGracePeriodSeconds());
    }

    @Test
    void podsOnANodeThatStopsRenewingItsLeaseAreEvictedWhenTheirTolerationsSay() throws Exception {
        try (RealApiServer api = new RealApiServer(dir, c -> c.withDefaultTolerationSeconds(
                new DefaultTolerationSeconds(DEFAULT_SECONDS, DEFAULT_SECONDS)))) {
            KubeClient client = api.client();
            Node n = client.create(ApiResource.NODES, Node.of(ObjectMeta.of(null, "n1"), null, null));
            client.updateStatus(ApiResource.NODES, n.withStatus(new NodeStatus(null, null, null,
                    List.of(new Condition("Ready", "True", "KubeletReady", "ok", null, Instant.now(), null, Instant.now(), null, null)),
                    null, null, null, null)));
            Lease lease = client.create(ApiResource.LEASES, Lease.of(ObjectMeta.of(NodeLifecycle.NODE_LEASE_NAMESPACE, "n1"),
                    LeaseSpec.of("n1", 40, Instant.now(), Instant.now(), 0)));
            Pod template = Fixtures.pod("plain", null, null, true, "n1");
            Pod defaulted = client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "defaulted"),
                    template.spec().withTolerations(List.of())));
            client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "mismatched"), template.spec().withTolerations(
                    List.of(new Toleration(NodeLifecycle.UNREACHABLE, "Equal", "rack-7", "NoExecute", null, null)))));
            client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "short"), template.spec().withTolerations(
                    List.of(new Toleration(NodeLifecycle.UNREACHABLE, "Exists", null, "NoExecute", SHORT_SECONDS, null)))));
            client.create(ApiResource.PODS, Pod.of(ObjectMeta.of("default", "forever"), template.spec().withTolerations(
                    List.of(new Toleration(NodeLifecycle.UNREACHABLE, "Exists", null, "NoExecute", null, null)))));

            assertThat(defaulted.spec().tolerations()).as("added by the API server's DefaultTolerationSeconds admission")
                    .containsExactly(
                            new Toleration(NodeLifecycle.NOT_READY, "Exists", null, "NoExecute", DEFAULT_SECONDS, null),
                            new Toleration(NodeLifecycle.UNREACHABLE, "Exists", null, "NoExecute", DEFAULT_SECONDS, null));

            ControllerManager cm = new ControllerManager(client, new ControllerManager.Config(1, Duration.ZERO,
                    new NodeLifecycle.Config(Duration.ofSeconds(2)), Duration.ofMillis(200), Duration.ofSeconds(5), null))
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
                for (String name : List.of("defaulted", "mismatched", "short", "forever")) {
                    assertThat(evicted(client, name)).as(name + " while the node is healthy").isFalse();
                }

                // silence
                eventually("Ready=Unknown", () -> "Unknown".equals(Condition.find(
                        client.get(ApiResource.NODES, null, "n1").status().conditions(), "Ready").status()));
                eventually("unreachable NoExecute taint", () -> {
                    Node node = client.get(ApiResource.NODES, null, "n1");
                    return node.spec() != null && node.spec().taints().stream()
                            .anyMatch(t -> t.key().equals(NodeLifecycle.UNREACHABLE) && t.effect().equals("NoExecute"));
                });
                Taint taint = client.get(ApiResource.NODES, null, "n1").spec().taints().stream()
                        .filter(x -> x.effect().equals("NoExecute")).findFirst().orElseThrow();
                assertThat(taint.timeAdded()).isNotNull();
                Instant tainted = taint.timeAdded().truncatedTo(ChronoUnit.SECONDS);

                eventually("the mismatched pod evicted", () -> evicted(client, "mismatched"));
                // observed: 6 s and 10 s of tolerance are not yet over for the others
                assertThat(evicted(client, "short")).as("short, when mismatched went").isFalse();
                assertThat(evicted(client, "defaulted")).as("defaulted, when mismatched went").isFalse();

                eventually("the 6 s pod evicted", () -> evicted(client, "short"));
                eventually("the defaulted pod evicted", () -> evicted(client, "defaulted"));
                // the API server's record of each eviction: never before the pod's tolerationSeconds,
                // and in the order the tolerations say (no bound on lateness: the machine may be loaded)
                Instant mismatchedAt = evictedAt(client, "mismatched");
                Instant shortAt = evictedAt(client, "short");
                Instant defaultedAt = evictedAt(client, "defaulted");
                assertThat(shortAt).as("not before its 6 s").isAfterOrEqualTo(tainted.plusSeconds(SHORT_SECONDS));
                assertThat(defaultedAt).as("not before the admission's 10 s").isAfterOrEqualTo(tainted.plusSeconds(DEFAULT_SECONDS));
                assertThat(mismatchedAt).as("no matching toleration: first").isBeforeOrEqualTo(shortAt);
                assertThat(shortAt).isBeforeOrEqualTo(defaultedAt);

                Thread.sleep(1500);   // a few more monitor passes (200 ms each)
                assertThat(evicted(client, "forever")).as("tolerates unreachable forever").isFalse();

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
                assertThat(evicted(client, "forever")).isFalse();
            } finally {
                cm.close();
            }
        }
    }
}
