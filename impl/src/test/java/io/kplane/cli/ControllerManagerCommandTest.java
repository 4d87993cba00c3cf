package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.client.RealApiServer;
import io.kplane.model.Container;
import io.kplane.model.LabelSelector;
import io.kplane.model.Lease;
import io.kplane.model.ObjectMeta;
import io.kplane.model.PodSpec;
import io.kplane.model.PodTemplateSpec;
import io.kplane.model.ReplicaSet;
import io.kplane.model.ReplicaSetSpec;
import io.kplane.server.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kplane controller-manager --leader-elect} as two real processes against the real API
 * server: one holds the Lease and creates pods; after it is killed (SIGKILL) the other takes over
 * and the controllers work again.
 */
class ControllerManagerCommandTest {
    @TempDir
    Path dir;

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    Process start(Path kubeconfig, String id) throws Exception {
        List<String> cmd = ChildJvm.kplaneCommand(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), List.of("controller-manager",
                "--kubeconfig", kubeconfig.toString(), "--leader-elect", "--identity", id,
                "--leader-elect-lease-duration", "3s", "--leader-elect-renew-deadline", "2s", "--leader-elect-retry-period", "500ms",
                "--concurrent-syncs", "2"));
        File log = dir.resolve(id + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    static ReplicaSet replicaSet(String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return ReplicaSet.of(ObjectMeta.of("default", name).withLabels(labels), new ReplicaSetSpec(replicas, null, LabelSelector.of(labels),
                new PodTemplateSpec(ObjectMeta.of(null, null).withLabels(labels), PodSpec.of(List.of(Container.of("c", "img"))), null), null), null);
    }

    static String holder(KubeClient client) {
        Lease l = client.getOrNull(ApiResource.LEASES, "kube-system", "kube-controller-manager");
        return l == null || l.spec() == null ? null : l.spec().holderIdentity();
    }

    @Test
    void twoProcessesUnderElectionOnlyOneActsAndTheOtherTakesOverAfterAKill() throws Exception {
        List<Process> procs = new ArrayList<>();
        try (RealApiServer api = new RealApiServer(dir.resolve("api"))) {
            KubeClient client = api.client();
            Process a = start(api.kubeconfig(), "cm-a");
            procs.add(a);
            eventually("cm-a holds the lease", () -> "cm-a".equals(holder(client)));
            Process b = start(api.kubeconfig(), "cm-b");
            procs.add(b);
            client.create(ApiResource.REPLICA_SETS, replicaSet("one", 2));
            eventually("2 pods", () -> client.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=one")).items().size() == 2);
            assertThat(holder(client)).isEqualTo("cm-a");

            long killedAt = System.nanoTime();
            a.destroyForcibly().waitFor();
            eventually("cm-b holds the lease", () -> "cm-b".equals(holder(client)));
            System.out.printf("process failover after SIGKILL: %d ms (leaseDuration 3 s + retryPeriod 0.5 s)%n",
                    (System.nanoTime() - killedAt) / 1_000_000);
            client.create(ApiResource.REPLICA_SETS, replicaSet("two", 3));
            eventually("3 pods from the new leader", () ->
                    client.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=two")).items().size() == 3);
            assertThat(client.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=one")).items()).hasSize(2);

            b.destroy();   // SIGTERM: releases the Lease
            assertThat(b.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(holder(client)).as("released on SIGTERM").isIn(null, "");
        } catch (AssertionError e) {
            for (String id : List.of("cm-a", "cm-b")) {
                Path log = dir.resolve(id + ".log");
                if (java.nio.file.Files.exists(log)) {
                    System.out.println("---- " + id + " log (tail)");
                    List<String> lines = java.nio.file.Files.readAllLines(log);
                    lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
                }
            }
            throw e;
        } finally {
            for (Process p : procs) {
                p.destroyForcibly();
            }
        }
    }
}
