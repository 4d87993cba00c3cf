package io.kplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.Eventually;
import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.client.RealApiServer;
import io.kplane.election.LeaderElection;
import io.kplane.model.Lease;
import io.kplane.model.LabelSelector;
import io.kplane.model.Namespace;
import io.kplane.model.ObjectMeta;
import io.kplane.model.ReplicaSet;
import io.kplane.model.ReplicaSetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controller-managers under Lease election against the real API server: only the holder of
 * kube-system/kube-controller-manager writes; when it crashes, the standby takes over (after
 * leaseDuration of silence) and the controllers work again. Failover time is printed.
 */
class ControllerManagerElectionTest {
    @TempDir
    Path dir;

    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration RENEW = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofMillis(500);

    static ControllerManager manager(KubeClient client, String id) throws InterruptedException {
        LeaderElection.Config e = new LeaderElection.Config(ControllerManager.LEASE_NAMESPACE, ControllerManager.LEASE_NAME, id,
                LEASE, RENEW, RETRY);
        return new ControllerManager(client, new ControllerManager.Config(2, Duration.ZERO, NodeLifecycle.Config.DEFAULT,
                Duration.ofSeconds(1), Duration.ofSeconds(1), e)).start(Duration.ofSeconds(30));
    }

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        Eventually.until(what, Duration.ofSeconds(90), cond);
    }

    static ReplicaSet replicaSet(String ns, String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return ReplicaSet.of(ObjectMeta.of(ns, name).withLabels(labels),
                new ReplicaSetSpec(replicas, null, LabelSelector.of(labels), Fixtures.template(labels, "img"), null), null);
    }

    static int pods(KubeClient client, String ns, String app) {
        return client.list(ApiResource.PODS, ns, ListOptions.labelSelector("app=" + app)).items().size();
    }

    @Test
    void onlyTheLeaderActsAndTheStandbyTakesOverAfterACrash() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            String ns = "election";
            client.create(ApiResource.NAMESPACES, Namespace.of(ObjectMeta.of(null, ns), null, null));
            ControllerManager a = manager(client, "cm-a");
            eventually("cm-a leads", a::acting);
            ControllerManager b = manager(client, "cm-b");
            try {
                client.create(ApiResource.REPLICA_SETS, replicaSet(ns, "one", 3));
                eventually("3 pods made by the leader", () -> pods(client, ns, "one") == 3);
                // b has had time to campaign for several retry periods while a renewed
                Thread.sleep(LEASE.toMillis() + RETRY.toMillis());
                assertThat(a.acting()).isTrue();
                assertThat(b.acting()).as("standby does not act").isFalse();
                assertThat(b.writes()).as("standby made no writes").isZero();
                assertThat(a.writes()).isPositive();
                assertThat(client.get(ApiResource.LEASES, ControllerManager.LEASE_NAMESPACE, ControllerManager.LEASE_NAME)
                        .spec().holderIdentity()).isEqualTo("cm-a");

                long crashedAt = System.nanoTime();
                a.crash();
                eventually("cm-b takes over", b::acting);
                long failover = System.nanoTime() - crashedAt;
                System.out.printf("controller-manager failover after a crash: %d ms (leaseDuration + retryPeriod = %d ms)%n",
                        failover / 1_000_000, LEASE.plus(RETRY).toMillis());
                assertThat(a.acting()).isFalse();
                Lease lease = client.get(ApiResource.LEASES, ControllerManager.LEASE_NAMESPACE, ControllerManager.LEASE_NAME);
                assertThat(lease.spec().holderIdentity()).isEqualTo("cm-b");
                assertThat(lease.spec().leaseTransitions()).isEqualTo(1);

                client.create(ApiResource.REPLICA_SETS, replicaSet(ns, "two", 2));
                eventually("the new leader's controllers work", () -> pods(client, ns, "two") == 2);
                assertThat(pods(client, ns, "one")).as("no double creation across the handover").isEqualTo(3);
                long aWrites = a.writes();
                Thread.sleep(RETRY.toMillis() * 2);
                assertThat(a.writes()).as("the crashed one stays silent").isEqualTo(aWrites);
            } finally {
                b.close();
                a.crash();
            }
        }
    }

    @Test
    void aGracefulStopHandsOverWithoutWaitingForTheLease() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            ControllerManager a = manager(client, "cm-a");
            eventually("cm-a leads", a::acting);
            ControllerManager b = manager(client, "cm-b");
            try {
                Thread.sleep(RETRY.toMillis() * 2);
                long stoppedAt = System.nanoTime();
                a.close();
                eventually("cm-b takes over", b::acting);
                System.out.printf("controller-manager failover after a graceful stop: %d ms%n", (System.nanoTime() - stoppedAt) / 1_000_000);
            } finally {
                b.close();
            }
        }
    }
}
