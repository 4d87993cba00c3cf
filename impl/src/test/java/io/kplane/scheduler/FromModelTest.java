package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.model.Json;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API objects from YAML become the scheduler's views with upstream's defaulting rules. */
class FromModelTest {

    static Pod pod(String yaml) throws Exception {
        return Json.yamlMapper().readValue(yaml, Pod.class);
    }

    @Test
    void antiAffinityPodOfTheBenchmarkConvertsFully() throws Exception {
        Pod p = pod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: anti-1, namespace: sched-1, uid: u1, labels: {color: green}}
                spec:
                  priorityClassName: high
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - labelSelector: {matchLabels: {color: green}}
                        topologyKey: kubernetes.io/hostname
                        namespaces: [sched-0, sched-1]
                  containers:
                  - name: pause
                    image: registry.k8s.io/pause:3.10
                    ports: [{containerPort: 80}, {containerPort: 8080, hostPort: 8080}]
                    resources:
                      requests: {cpu: 100m, memory: 500Mi}
                  - name: sidecar
                    image: busybox
                    resources:
                      limits: {cpu: 200m, memory: 64Mi, example.com/gpu: "1"}
                """);
        PriorityClass high = new PriorityClass("scheduling.k8s.io/v1", "PriorityClass",
                io.kplane.model.ObjectMeta.of(null, "high"), 1000, false, null, "Never", null);
        PodInfo info = FromModel.pod(p, name -> name.equals("high") ? high : null);
        assertThat(info.uid()).isEqualTo("u1");
        assertThat(info.priority()).isEqualTo(1000);
        assertThat(info.preemptNever()).isTrue();
        // Requests default to limits: 100m + 200m, 500Mi + 64Mi, 1 GPU.
        assertThat(info.requests().milliCpu()).isEqualTo(300);
        assertThat(info.requests().memory()).isEqualTo(564L * 1024 * 1024);
        assertThat(info.requests().scalar("example.com/gpu")).isEqualTo(1);
        assertThat(info.bestEffort()).isFalse();
        assertThat(info.hostPorts()).containsExactly(new HostPort("TCP", "0.0.0.0", 8080));
        assertThat(info.images()).containsExactly("registry.k8s.io/pause:3.10", "busybox:latest");
        assertThat(info.requiredAntiAffinity()).hasSize(1);
        AffinityTerm t = info.requiredAntiAffinity().get(0);
        assertThat(t.topologyKey()).isEqualTo(Labels.HOSTNAME);
        assertThat(t.namespaces()).containsExactlyInAnyOrder("sched-0", "sched-1");
        assertThat(t.matches(info, Map.of())).isTrue();
    }

    @Test
    void containersWithoutRequestsGetNonZeroDefaultsForScoringOnly() throws Exception {
        PodInfo info = FromModel.pod(pod("""
                metadata: {name: be, namespace: default}
                spec:
                  containers: [{name: a, image: x}, {name: b, image: y, resources: {requests: {cpu: 250m}}}]
                """), n -> null);
        assertThat(info.requests().milliCpu()).isEqualTo(250);
        assertThat(info.requests().memory()).isZero();
        assertThat(info.nonZeroMilliCpu()).isEqualTo(100 + 250);
        assertThat(info.nonZeroMemory()).isEqualTo(2 * PodInfo.DEFAULT_MEMORY_REQUEST);
        assertThat(info.bestEffort()).isFalse();
        PodInfo none = FromModel.pod(pod("""
                metadata: {name: be2, namespace: default}
                spec: {containers: [{name: a, image: x}]}
                """), n -> null);
        assertThat(none.bestEffort()).isTrue();
    }

    @Test
    void initContainersTakeTheMaximumAndSidecarsAdd() throws Exception {
        PodInfo info = FromModel.pod(pod("""
                metadata: {name: init, namespace: default}
                spec:
                  initContainers:
                  - {name: setup, image: x, resources: {requests: {cpu: "2"}}}
                  - {name: proxy, image: x, restartPolicy: Always, resources: {requests: {cpu: 100m}}}
                  containers:
                  - {name: app, image: x, resources: {requests: {cpu: 500m}}}
                """), n -> null);
        // max(app 500m + sidecar 100m, setup 2000m) = 2000m
        assertThat(info.requests().milliCpu()).isEqualTo(2000);
    }

    @Test
    void spreadConstraintsMergeMatchLabelKeysAndDefaultPolicies() throws Exception {
        PodInfo info = FromModel.pod(pod("""
                metadata: {name: s, namespace: default, labels: {app: web, pod-template-hash: abc}}
                spec:
                  topologySpreadConstraints:
                  - maxSkew: 2
                    topologyKey: topology.kubernetes.io/zone
                    whenUnsatisfiable: DoNotSchedule
                    labelSelector: {matchLabels: {app: web}}
                    matchLabelKeys: [pod-template-hash]
                  containers: [{name: a, image: x}]
                """), n -> null);
        SpreadConstraint c = info.spreadConstraints().get(0);
        assertThat(c.doNotSchedule()).isTrue();
        assertThat(c.maxSkew()).isEqualTo(2);
        assertThat(c.minDomains()).isEqualTo(1);
        assertThat(c.honorNodeAffinity()).isTrue();
        assertThat(c.honorNodeTaints()).isFalse();
        assertThat(c.selector().matches(Map.of("app", "web", "pod-template-hash", "abc"))).isTrue();
        assertThat(c.selector().matches(Map.of("app", "web", "pod-template-hash", "old"))).isFalse();
    }

    @Test
    void nodeConvertsAllocatableTaintsAndImages() throws Exception {
        Node n = Json.yamlMapper().readValue("""
                metadata: {name: node-1, labels: {kubernetes.io/hostname: node-1, topology.kubernetes.io/zone: z1}}
                spec:
                  unschedulable: true
                  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
                status:
                  capacity: {cpu: "8", memory: 64Gi, pods: "110"}
                  allocatable: {cpu: "4", memory: 32Gi, pods: "110", example.com/gpu: "2"}
                  images: [{names: ["registry.k8s.io/pause:3.10", "registry.k8s.io/pause@sha256:abc"], sizeBytes: 700000}]
                """, Node.class);
        NodeInfo.NodeSpec s = FromModel.node(n);
        assertThat(s.allocatable()).isEqualTo(new Resources(4000, 32L << 30, 0, 110, Map.of("example.com/gpu", 2L)));
        assertThat(s.unschedulable()).isTrue();
        assertThat(s.taints()).containsExactly(new Taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE));
        assertThat(s.images()).containsEntry("registry.k8s.io/pause:3.10", 700000L);
    }

    @Test
    void unknownOperatorsAreRejectedClearly() {
        assertThatThrownBy(() -> FromModel.op("Like")).hasMessageContaining("unknown selector operator \"Like\"");
        assertThatThrownBy(() -> FromModel.effect("Sometimes")).hasMessageContaining("unknown taint effect");
    }

    @Test
    void convertedPodsScheduleThroughTheCore() throws Exception {
        TestCluster c = new TestCluster();
        Node n = Json.yamlMapper().readValue("""
                metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
                status: {allocatable: {cpu: "4", memory: 32Gi, pods: "110"}}
                """, Node.class);
        c.scheduler.onNodeAdd(FromModel.node(n));
        PodInfo p = FromModel.pod(pod("""
                metadata: {name: p, namespace: default}
                spec: {containers: [{name: a, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]}
                """), x -> null);
        c.pods.put(p.uid(), p);
        c.scheduler.onPodAdd(p);
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("n1");
    }

    @Test
    void hostPortsComeFromRegularContainersOnlyAsUpstreamNodePortsReadsThem() throws Exception {
        PodInfo info = FromModel.pod(pod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec:
                  initContainers:
                  - {name: init, image: busybox, ports: [{containerPort: 81, hostPort: 8081}]}
                  containers:
                  - {name: main, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}
                """), name -> null);
        assertThat(info.hostPorts()).containsExactly(new HostPort("TCP", "0.0.0.0", 8080));
        // Images of init containers still count for ImageLocality, as upstream.
        assertThat(info.images()).containsExactly("busybox:latest", "nginx:latest");
    }

    @Test
    void aPodWithoutStartTimeCountsAsStartingNowNotAtItsCreation() throws Exception {
        PodInfo notStarted = FromModel.pod(pod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec: {nodeName: n, containers: [{name: c, image: nginx}]}
                """), name -> null);
        assertThat(notStarted.startNanos()).isEqualTo(PodInfo.NOT_STARTED);
        PodInfo started = FromModel.pod(pod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: q, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec: {nodeName: n, containers: [{name: c, image: nginx}]}
                status: {startTime: "2026-01-01T00:00:05Z"}
                """), name -> null);
        assertThat(started.startNanos()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:05Z").getEpochSecond() * 1_000_000_000L);
        assertThat(notStarted.startNanos()).isGreaterThan(started.startNanos());
    }

    @Test
    void onlyATerminatingPodWithThePreemptionDisruptionConditionIsTerminatingByPreemption() throws Exception {
        String base = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default%s}
                spec: {nodeName: n, containers: [{name: c, image: nginx}]}
                status:
                  conditions:
                  - {type: DisruptionTarget, status: "True", reason: %s}
                """;
        String deleting = ", deletionTimestamp: \"2026-01-01T00:00:00Z\"";
        assertThat(FromModel.pod(pod(base.formatted(deleting, "PreemptionByScheduler")), n -> null).terminatingByPreemption()).isTrue();
        assertThat(FromModel.pod(pod(base.formatted(deleting, "EvictionByEvictionAPI")), n -> null).terminatingByPreemption()).isFalse();
        assertThat(FromModel.pod(pod(base.formatted(deleting, "EvictionByEvictionAPI")), n -> null).terminating()).isTrue();
        assertThat(FromModel.pod(pod(base.formatted("", "PreemptionByScheduler")), n -> null).terminatingByPreemption()).isFalse();
    }
}
