package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.Eventually;
import io.kplane.client.KubeClient;
import io.kplane.client.RealApiServer;
import io.kplane.model.Condition;
import io.kplane.model.Json;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preemption's API writes through the scheduler runtime and the real API server: a high-priority
 * pod that fits nowhere preempts a low-priority one (DisruptionTarget condition, graceful delete)
 * and gets {@code status.nominatedNodeName}; when its nominated node goes and preemption finds
 * no candidate anywhere (the only node left has a taint it does not tolerate), the nomination is
 * cleared, as upstream clears a stale one.
 */
class SchedulerNominationTest {
    @TempDir
    Path dir;

    static Node node(String name, String cpu, String taints) {
        return Json.read("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},
                 "spec":{"taints":[%s]},
                 "status":{"capacity":{"cpu":"%s","memory":"4Gi","pods":"110"},"allocatable":{"cpu":"%s","memory":"4Gi","pods":"110"},
                           "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}
                """.formatted(name, name, taints, cpu, cpu), Node.class);
    }

    static Pod pod(String name, String cpu, String priorityClass, int priority) {
        return Json.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"default","name":"%s"},
                 "spec":{"priorityClassName":"%s","priority":%d,
                         "containers":[{"name":"c","image":"pause","resources":{"requests":{"cpu":"%s"}}}]}}
                """.formatted(name, priorityClass, priority, cpu), Pod.class);
    }

    @Test
    void aPreemptorIsNominatedThroughTheApiAndTheNominationIsClearedWhenPreemptionCannotHelp() throws Exception {
        try (RealApiServer api = new RealApiServer(dir)) {
            KubeClient client = api.client();
            for (String pc : new String[] {"low=0", "high=100"}) {
                String[] kv = pc.split("=");
                client.create(ApiResource.PRIORITY_CLASSES, Json.read("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":"
                        + "\"PriorityClass\",\"metadata\":{\"name\":\"" + kv[0] + "\"},\"value\":" + kv[1] + "}", PriorityClass.class));
            }
            client.create(ApiResource.NODES, node("n", "2", ""));
            try (SchedulerRuntime scheduler = new SchedulerRuntime(client,
                    new SchedulerRuntime.Config(SchedulerRuntime.DEFAULT_SCHEDULER, null), () -> { }).start(Duration.ofSeconds(60))) {
                client.create(ApiResource.PODS, pod("low", "1500m", "low", 0));
                Eventually.await("low bound", () -> client.get(ApiResource.PODS, "default", "low"), p -> "n".equals(p.spec().nodeName()));

                client.create(ApiResource.PODS, pod("high", "1500m", "high", 100));
                Pod high = Eventually.await("high nominated to n", () -> client.get(ApiResource.PODS, "default", "high"),
                        p -> p.status() != null && "n".equals(p.status().nominatedNodeName()));
                assertThat(high.spec().nodeName()).as("the victim is still terminating (30 s grace, no kubelet)").isNull();
                Pod victim = Eventually.await("low preempted", () -> client.get(ApiResource.PODS, "default", "low"),
                        p -> p.metadata().deletionTimestamp() != null);
                Condition target = Condition.find(victim.status().conditions(), "DisruptionTarget");
                assertThat(target).isNotNull();
                assertThat(target.reason()).isEqualTo("PreemptionByScheduler");

                // The nominated node goes. A node big enough arrives (so the pod is tried again, as
                // NodeResourcesFit's queueing hint says) but tainted: no node where preemption helps.
                client.delete(ApiResource.NODES, null, "n", DeleteOptions.DEFAULT);
                client.create(ApiResource.NODES, node("tainted", "2",
                        "{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}"));
                Pod cleared = Eventually.await("nomination cleared", () -> client.get(ApiResource.PODS, "default", "high"),
                        p -> p.status() == null || p.status().nominatedNodeName() == null);
                assertThat(cleared.spec().nodeName()).isNull();
                Condition scheduled = Condition.find(cleared.status().conditions(), "PodScheduled");
                assertThat(scheduled.status()).isEqualTo(Condition.FALSE);
            }
        }
    }
}
