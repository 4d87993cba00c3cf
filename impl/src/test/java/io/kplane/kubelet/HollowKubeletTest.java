package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.Eventually;
import io.kplane.client.KubeClient;
import io.kplane.client.RealApiServer;
import io.kplane.model.Condition;
import io.kplane.model.Container;
import io.kplane.model.HttpGetAction;
import io.kplane.model.IntOrString;
import io.kplane.model.Lease;
import io.kplane.model.Node;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import io.kplane.model.Probe;
import io.kplane.model.TcpSocketAction;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hollow kubelet against the real API server; probes against servers this test starts on loopback. */
class HollowKubeletTest {
    @TempDir
    static Path dir;
    static RealApiServer api;
    static KubeClient client;
    static HollowKubelet kubelet;

    @BeforeAll
    static void start() throws Exception {
        api = new RealApiServer(dir);
        client = api.client();
        // a 4 s lease is renewed every second, so the test sees renewals quickly
        KubeletConfig config = KubeletConfig.hollow("hollow-", 7, "zone-b").withLeaseDuration(Duration.ofSeconds(4))
                .withStatusUpdatePeriod(Duration.ofSeconds(1));
        kubelet = new HollowKubelet(client, config, InstantSource.system()).start();
    }

    @AfterAll
    static void stop() {
        kubelet.stop();
        api.close();
    }

    static <T> T await(String what, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        return Eventually.await(what, read, done);
    }

    static Pod pod(String name, Container c) {
        return Pod.of(ObjectMeta.of("default", name), PodSpec.of(List.of(c)).withNodeName("hollow-7"));
    }

    static Pod get(String name) {
        return client.getOrNull(ApiResource.PODS, "default", name);
    }

    static boolean ready(Pod p) {
        Condition c = Condition.find(p.statusOrEmpty().conditions(), "Ready");
        return c != null && c.statusTrue();
    }

    @Test
    void registersItsNodeWithLabelsCapacityAndReadyAndRenewsItsLease() throws Exception {
        Node node = await("node", () -> client.getOrNull(ApiResource.NODES, null, "hollow-7"), n -> n.status() != null);
        assertThat(node.metadata().labels()).containsEntry("kubernetes.io/hostname", "hollow-7")
                .containsEntry("topology.kubernetes.io/zone", "zone-b");
        assertThat(node.status().allocatable().get("pods").value()).isEqualTo(110);
        assertThat(node.spec().podCIDR()).isEqualTo("10.244.7.0/24");
        assertThat(Condition.find(node.status().conditions(), "Ready").status()).isEqualTo("True");

        Lease first = await("lease", () -> client.getOrNull(ApiResource.LEASES, "kube-node-lease", "hollow-7"), l -> true);
        assertThat(first.spec().holderIdentity()).isEqualTo("hollow-7");
        assertThat(first.metadata().ownerReferences()).extracting(r -> r.uid()).containsExactly(node.metadata().uid());
        Instant renewed = first.spec().renewTime();
        await("a lease renewal", () -> client.getOrNull(ApiResource.LEASES, "kube-node-lease", "hollow-7"),
                l -> l.spec().renewTime().isAfter(renewed));
    }

    @Test
    void boundPodRunsWithAnIpFromTheNodesRangeAndIsReady() throws Exception {
        client.create(ApiResource.PODS, pod("plain", Container.of("app", "nginx")));
        Pod running = await("plain running and ready", () -> get("plain"), p -> "Running".equals(p.statusOrEmpty().phase()) && ready(p));
        assertThat(running.status().podIP()).startsWith("10.244.7.");
        assertThat(running.status().hostIP()).isEqualTo("10.0.0.9");
        assertThat(running.status().containerStatuses()).singleElement()
                .satisfies(s -> assertThat(s.state().running()).isNotNull());
        assertThat(running.status().startTime()).isNotNull();
    }

    @Test
    void readinessFollowsARealHttpProbe() throws Exception {
        AtomicInteger code = new AtomicInteger(500);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(code.get(), -1);
            ex.close();
        });
        http.start();
        try {
            Probe readiness = new Probe(null, new HttpGetAction("/healthz", IntOrString.of(http.getAddress().getPort()),
                    "127.0.0.1", null, null, null), null, 0, 1, 1, 1, 1, null);
            client.create(ApiResource.PODS, pod("web", Container.of("app", "nginx").withReadinessProbe(readiness)));
            Pod notReady = await("web running", () -> get("web"), p -> "Running".equals(p.statusOrEmpty().phase()));
            assertThat(ready(notReady)).as("readiness starts as failure and the server says 500").isFalse();
            code.set(200);
            await("web ready", () -> get("web"), HollowKubeletTest::ready);
            code.set(503);
            Pod again = await("web not ready", () -> get("web"), p -> !ready(p));
            assertThat(again.status().containerStatuses().get(0).restartCount()).as("readiness never restarts").isZero();
        } finally {
            http.stop(0);
        }
    }

    @Test
    void livenessFailureOnATcpProbeRestartsTheContainer() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Probe liveness = new Probe(null, null, new TcpSocketAction(IntOrString.of(closedPort), "127.0.0.1", null), 0, 1, 1, 1, 1, null);
        client.create(ApiResource.PODS, pod("crashy", Container.of("app", "nginx").withLivenessProbe(liveness)));
        Pod restarted = await("a restart", () -> get("crashy"),
                p -> !p.statusOrEmpty().containerStatuses().isEmpty() && p.status().containerStatuses().get(0).restartCount() >= 1);
        var status = restarted.status().containerStatuses().get(0);
        assertThat(status.lastState().terminated().reason()).isEqualTo("Error");
        await("CrashLoopBackOff", () -> get("crashy"), p -> {
            var s = p.status().containerStatuses().get(0);
            return s.state().waiting() != null && "CrashLoopBackOff".equals(s.state().waiting().reason());
        });
    }

    @Test
    void gracefulDeletionEndsWithThePodGone() throws Exception {
        client.create(ApiResource.PODS, pod("doomed", Container.of("app", "nginx")));
        await("doomed running", () -> get("doomed"), p -> "Running".equals(p.statusOrEmpty().phase()));
        client.delete(ApiResource.PODS, "default", "doomed", DeleteOptions.DEFAULT);
        await("doomed gone", () -> get("doomed") == null ? Boolean.TRUE : Boolean.FALSE, b -> b);
    }
}
