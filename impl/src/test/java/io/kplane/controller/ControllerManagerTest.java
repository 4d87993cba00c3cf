package io.kplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.Eventually;
import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.client.RealApiServer;
import io.kplane.model.Deployment;
import io.kplane.model.DeploymentSpec;
import io.kplane.model.DeploymentStrategy;
import io.kplane.model.EndpointSlice;
import io.kplane.model.GenericObject;
import io.kplane.model.IntOrString;
import io.kplane.model.LabelSelector;
import io.kplane.model.Namespace;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import io.kplane.model.RollingUpdateDeployment;
import io.kplane.model.Service;
import io.kplane.model.ServicePort;
import io.kplane.model.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller-manager (without election) against the real API server in this JVM: a
 * Deployment becomes a ReplicaSet and pods, a Service gets EndpointSlices and Endpoints, scaling
 * and a rolling update converge, and the garbage collector cleans up in each propagation mode.
 */
class ControllerManagerTest {
    @TempDir
    static Path dir;
    static RealApiServer api;
    static KubeClient client;
    static ControllerManager cm;
    static PodReadier kubelet;

    @BeforeAll
    static void start() throws Exception {
        api = new RealApiServer(dir);
        client = api.client();
        cm = new ControllerManager(client, new ControllerManager.Config(2, Duration.ZERO, NodeLifecycle.Config.DEFAULT,
                Duration.ofSeconds(1), Duration.ofSeconds(1), null)).start(Duration.ofSeconds(30));
        kubelet = new PodReadier(client);
    }

    @AfterAll
    static void stop() {
        kubelet.close();
        cm.close();
        api.close();
    }

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long start = System.nanoTime();
        try {
            waitFor(what, cond);
        } finally {
            System.out.printf("%-70s %6d ms%n", what, (System.nanoTime() - start) / 1_000_000);
        }
    }

    static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
        Eventually.until(what, cond);
    }

    static void namespace(String ns) {
        client.create(ApiResource.NAMESPACES, Namespace.of(ObjectMeta.of(null, ns), null, null));
    }

    static List<Pod> pods(String ns, String selector) {
        return client.list(ApiResource.PODS, ns, ListOptions.labelSelector(selector)).items().stream()
                .filter(p -> p.metadata().deletionTimestamp() == null).toList();
    }

    static List<ReplicaSet> replicaSets(String ns) {
        return client.list(ApiResource.REPLICA_SETS, ns, ListOptions.NONE).items();
    }

    /** Read-modify-write as kubectl does: the controllers write status concurrently, so retry on 409. */
    static void updateDeployment(String ns, java.util.function.UnaryOperator<Deployment> change) {
        retryOnConflict(() -> client.update(ApiResource.DEPLOYMENTS, change.apply(client.get(ApiResource.DEPLOYMENTS, ns, "web"))));
    }

    static void retryOnConflict(Runnable write) {
        for (int i = 0; ; i++) {
            try {
                write.run();
                return;
            } catch (io.kplane.client.ApiException e) {
                if (!e.isConflict() || i > 20) {
                    throw e;
                }
            }
        }
    }

    static Deployment deployment(String ns, int replicas, String image) {
        Deployment d = Fixtures.deployment(replicas, image);
        return Deployment.of(ObjectMeta.of(ns, "web"), new DeploymentSpec(replicas, LabelSelector.of(Fixtures.WEB),
                Fixtures.template(Fixtures.WEB, image),
                new DeploymentStrategy("RollingUpdate", new RollingUpdateDeployment(IntOrString.of(1), IntOrString.of(1), null), null),
                null, null, null, null, null), null).withSpec(d.spec().withReplicas(replicas)
                .withStrategy(new DeploymentStrategy("RollingUpdate", new RollingUpdateDeployment(IntOrString.of(1), IntOrString.of(1), null), null)));
    }

    @Test
    void aDeploymentBecomesReadyPodsBehindAServiceAndRollsToANewTemplate() throws Exception {
        String ns = "e2e-deploy";
        namespace(ns);
        client.create(ApiResource.DEPLOYMENTS, deployment(ns, 3, "img:1"));
        eventually("3 pods", () -> pods(ns, "app=web").size() == 3);
        ReplicaSet rs = replicaSets(ns).get(0);
        assertThat(rs.metadata().controllerRef().kind()).isEqualTo("Deployment");
        assertThat(rs.metadata().labels()).containsKey("pod-template-hash");
        assertThat(pods(ns, "app=web")).allSatisfy(p -> {
            assertThat(p.metadata().controllerRef().uid()).isEqualTo(rs.metadata().uid());
            assertThat(p.metadata().name()).startsWith(rs.name() + "-");
        });
        eventually("deployment available", () -> {
            Deployment d = client.get(ApiResource.DEPLOYMENTS, ns, "web");
            return d.status() != null && Integer.valueOf(3).equals(d.status().availableReplicas())
                    && Integer.valueOf(3).equals(d.status().updatedReplicas()) && Integer.valueOf(3).equals(d.status().readyReplicas());
        });

        Service svc = Service.of(ObjectMeta.of(ns, "web"), new ServiceSpec(null, null, null, null, null,
                List.of(ServicePort.of("http", "TCP", 80, IntOrString.of("http"))), Fixtures.WEB,
                null, null, null, null, null, null, null, null, null, null, null, null, null), null);
        client.create(ApiResource.SERVICES, svc);
        eventually("a slice with 3 ready endpoints on port 8080", () -> {
            List<EndpointSlice> slices = client.list(ApiResource.ENDPOINT_SLICES, ns,
                    ListOptions.labelSelector("kubernetes.io/service-name=web")).items();
            return slices.size() == 1 && slices.get(0).endpoints().size() == 3
                    && slices.get(0).endpoints().stream().allMatch(e -> e.conditions().readyOrDefault())
                    && slices.get(0).ports().get(0).port() == 8080;
        });
        eventually("legacy Endpoints with 3 addresses", () -> {
            GenericObject ep = client.getOrNull(ApiResource.ENDPOINTS, ns, "web");
            if (ep == null || !(ep.extra().get("subsets") instanceof List<?> subsets) || subsets.isEmpty()) {
                return false;
            }
            return ((Map<?, ?>) subsets.get(0)).get("addresses") instanceof List<?> a && a.size() == 3;
        });

        // scale
        updateDeployment(ns, d -> d.withSpec(d.spec().withReplicas(5)));
        eventually("5 pods", () -> pods(ns, "app=web").size() == 5);

        // rolling update to a new image
        updateDeployment(ns, d -> d.withSpec(d.spec().withTemplate(Fixtures.template(Fixtures.WEB, "img:2"))));
        eventually("all 5 pods on img:2 and the old ReplicaSet at 0", () -> {
            List<Pod> ps = pods(ns, "app=web");
            List<ReplicaSet> rss = replicaSets(ns);
            return ps.size() == 5 && ps.stream().allMatch(p -> p.spec().containers().get(0).image().equals("img:2"))
                    && rss.size() == 2 && rss.stream().anyMatch(r -> r.spec().replicasOrDefault() == 0);
        });
        eventually("status: 5 updated and available", () -> {
            Deployment dd = client.get(ApiResource.DEPLOYMENTS, ns, "web");
            return dd.status() != null && Integer.valueOf(5).equals(dd.status().updatedReplicas())
                    && Integer.valueOf(5).equals(dd.status().availableReplicas()) && Integer.valueOf(5).equals(dd.status().replicas());
        });
        eventually("the slice follows the new pods", () -> {
            List<EndpointSlice> slices = client.list(ApiResource.ENDPOINT_SLICES, ns,
                    ListOptions.labelSelector("kubernetes.io/service-name=web")).items();
            var names = pods(ns, "app=web").stream().map(Pod::name).collect(java.util.stream.Collectors.toSet());
            return slices.size() == 1 && slices.get(0).endpoints().size() == 5
                    && slices.get(0).endpoints().stream().allMatch(e -> names.contains(e.targetRef().name()));
        });

        // background deletion: the garbage collector removes the ReplicaSets and their pods
        client.delete(ApiResource.DEPLOYMENTS, ns, "web", DeleteOptions.propagation(DeleteOptions.BACKGROUND));
        eventually("ReplicaSets and pods collected", () -> replicaSets(ns).isEmpty()
                && client.list(ApiResource.PODS, ns, ListOptions.NONE).items().isEmpty());
        // the service goes: its slices (owned by it) and the Endpoints go too
        client.delete(ApiResource.SERVICES, ns, "web", DeleteOptions.DEFAULT);
        eventually("slices and endpoints gone", () -> client.list(ApiResource.ENDPOINT_SLICES, ns, ListOptions.NONE).items().isEmpty()
                && client.getOrNull(ApiResource.ENDPOINTS, ns, "web") == null);
    }

    static Map<String, Object> budgetStatus(String ns, String name) {
        Object st = client.get(ApiResource.POD_DISRUPTION_BUDGETS, ns, name).extra().get("status");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = st instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
        return m;
    }

    static int intOf(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n.intValue() : -1;
    }

    static void budget(String ns, String name, String rule) {
        client.create(ApiResource.POD_DISRUPTION_BUDGETS, io.kplane.model.Json.read("{\"apiVersion\":\"policy/v1\","
                + "\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"namespace\":\"" + ns + "\",\"name\":\"" + name
                + "\"},\"spec\":{" + rule + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}",
                io.kplane.model.GenericObject.class));
    }

    static void evict(String ns, String pod) {
        client.post(ApiResource.PODS, ns, pod, "eviction", Map.of("apiVersion", "policy/v1", "kind", "Eviction",
                "metadata", Map.of("name", pod, "namespace", ns)));
    }

    @Test
    void theDisruptionControllerKeepsBudgetStatusAndEvictionsFollowIt() throws Exception {
        String ns = "e2e-pdb";
        namespace(ns);
        ReplicaSet rs = Fixtures.rs("web", 3, null);
        client.create(ApiResource.REPLICA_SETS, ReplicaSet.of(ObjectMeta.of(ns, "web").withLabels(Fixtures.WEB), rs.spec(), null));
        eventually("3 ready pods", () -> pods(ns, "app=web").stream().filter(PodState::isReady).count() == 3);
        budget(ns, "one-down", "\"maxUnavailable\":1");
        eventually("maxUnavailable 1 of 3: one disruption allowed", () -> {
            Map<String, Object> st = budgetStatus(ns, "one-down");
            return intOf(st, "observedGeneration") == 1 && intOf(st, "expectedPods") == 3 && intOf(st, "desiredHealthy") == 2
                    && intOf(st, "currentHealthy") == 3 && intOf(st, "disruptionsAllowed") == 1;
        });
        String victim = pods(ns, "app=web").get(0).metadata().name();
        evict(ns, victim);
        Map<String, Object> after = budgetStatus(ns, "one-down");
        assertThat(intOf(after, "disruptionsAllowed")).as("the eviction used the budget up at once").isZero();
        // The eviction lists the victim under disruptedPods; the controller drops the entry once it sees
        // the pod terminating or gone, which may already have happened.
        Pod evicted = client.getOrNull(ApiResource.PODS, ns, victim);
        assertThat(String.valueOf(after.get("disruptedPods")).contains(victim) || evicted == null
                || evicted.metadata().deletionTimestamp() != null).as("victim listed as disrupted, or already going: " + after).isTrue();
        eventually("the replacement is ready and the budget allows one again", () -> {
            Map<String, Object> st = budgetStatus(ns, "one-down");
            return intOf(st, "currentHealthy") == 3 && intOf(st, "disruptionsAllowed") == 1;
        });
        client.delete(ApiResource.POD_DISRUPTION_BUDGETS, ns, "one-down", io.kplane.client.DeleteOptions.DEFAULT);
        budget(ns, "all-up", "\"minAvailable\":3");
        eventually("minAvailable 3 of 3: none allowed", () -> {
            Map<String, Object> st = budgetStatus(ns, "all-up");
            return intOf(st, "observedGeneration") == 1 && intOf(st, "currentHealthy") == 3 && intOf(st, "disruptionsAllowed") == 0;
        });
        String pod = pods(ns, "app=web").get(0).metadata().name();
        io.kplane.client.ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(io.kplane.client.ApiException.class,
                () -> evict(ns, pod));
        assertThat(refused.code()).isEqualTo(429);
        assertThat(client.get(ApiResource.PODS, ns, pod).metadata().deletionTimestamp()).isNull();
    }

    @Test
    void aServiceWithMoreThanAHundredPodsGetsSeveralSlices() throws Exception {
        String ns = "e2e-slices";
        namespace(ns);
        ReplicaSet rs = Fixtures.rs("many", 130, null);
        rs = ReplicaSet.of(ObjectMeta.of(ns, "many").withLabels(Fixtures.WEB), rs.spec(), null);
        client.create(ApiResource.REPLICA_SETS, rs);
        client.create(ApiResource.SERVICES, Service.of(ObjectMeta.of(ns, "many"), new ServiceSpec(null, null, null, null, null,
                List.of(ServicePort.of("http", "TCP", 80, IntOrString.of(8080))), Fixtures.WEB,
                null, null, null, null, null, null, null, null, null, null, null, null, null), null));
        eventually("130 endpoints in slices of at most 100", () -> {
            List<EndpointSlice> slices = client.list(ApiResource.ENDPOINT_SLICES, ns, ListOptions.NONE).items();
            return slices.stream().mapToInt(s -> s.endpoints().size()).sum() == 130
                    && slices.stream().allMatch(s -> s.endpoints().size() <= 100) && slices.size() == 2;
        });
        ReplicaSet stored = client.get(ApiResource.REPLICA_SETS, ns, "many");
        eventually("status counts 130 ready", () -> {
            ReplicaSet r = client.get(ApiResource.REPLICA_SETS, ns, "many");
            return r.status() != null && Integer.valueOf(130).equals(r.status().readyReplicas());
        });
        assertThat(pods(ns, "app=web")).hasSize(130);
        retryOnConflict(() -> client.update(ApiResource.REPLICA_SETS, client.get(ApiResource.REPLICA_SETS, ns, "many")
                .withSpec(stored.spec().withReplicas(10))));
        eventually("scaled down to 10 with one slice", () -> pods(ns, "app=web").size() == 10
                && client.list(ApiResource.ENDPOINT_SLICES, ns, ListOptions.NONE).items().size() == 1);
    }

    @Test
    void orphanAndForegroundPropagation() throws Exception {
        String ns = "e2e-gc";
        namespace(ns);
        ReplicaSet rs = ReplicaSet.of(ObjectMeta.of(ns, "orphaner").withLabels(Fixtures.WEB), Fixtures.rs("x", 2, null).spec(), null);
        client.create(ApiResource.REPLICA_SETS, rs);
        eventually("2 pods", () -> pods(ns, "app=web").size() == 2);
        client.delete(ApiResource.REPLICA_SETS, ns, "orphaner", DeleteOptions.propagation(DeleteOptions.ORPHAN));
        eventually("the ReplicaSet is gone and its pods remain, without owner", () ->
                client.getOrNull(ApiResource.REPLICA_SETS, ns, "orphaner") == null
                        && pods(ns, "app=web").size() == 2
                        && pods(ns, "app=web").stream().allMatch(p -> p.metadata().ownerReferences().isEmpty()));
        for (Pod p : pods(ns, "app=web")) {
            client.delete(ApiResource.PODS, ns, p.name(), DeleteOptions.DEFAULT);
        }

        Map<String, String> fg = Map.of("app", "fg");
        ReplicaSet f = ReplicaSet.of(ObjectMeta.of(ns, "fg").withLabels(fg),
                new io.kplane.model.ReplicaSetSpec(2, null, LabelSelector.of(fg), Fixtures.template(fg, "img"), null), null);
        client.create(ApiResource.REPLICA_SETS, f);
        eventually("2 fg pods", () -> pods(ns, "app=fg").size() == 2);
        client.delete(ApiResource.REPLICA_SETS, ns, "fg", DeleteOptions.propagation(DeleteOptions.FOREGROUND));
        ReplicaSet deleting = client.getOrNull(ApiResource.REPLICA_SETS, ns, "fg");
        if (deleting != null) {
            assertThat(deleting.metadata().finalizers()).contains("foregroundDeletion");
        }
        eventually("the pods go first, then the ReplicaSet", () -> client.getOrNull(ApiResource.REPLICA_SETS, ns, "fg") == null);
        assertThat(client.list(ApiResource.PODS, ns, ListOptions.labelSelector("app=fg")).items()).isEmpty();
    }
}
