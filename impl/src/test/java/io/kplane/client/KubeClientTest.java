package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.model.Container;
import io.kplane.model.KubeList;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import io.kplane.model.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real API server (TLS with its CA, bearer token from the kubeconfig it writes). */
class KubeClientTest {
    @TempDir
    static Path dir;
    static RealApiServer api;
    static KubeClient client;

    @BeforeAll
    static void start() throws Exception {
        api = new RealApiServer(dir);
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static Pod pod(String ns, String name) {
        return Pod.of(ObjectMeta.of(ns, name).withLabel("app", "web"), PodSpec.of(List.of(Container.of("c", "nginx"))));
    }

    @Test
    void crudRoundTripsWithOptimisticConcurrencyAndStatusErrors() {
        Pod created = client.create(ApiResource.PODS, pod("default", "crud"));
        assertThat(created.metadata().uid()).isNotBlank();
        assertThat(created.metadata().resourceVersion()).isNotBlank();
        Pod got = client.get(ApiResource.PODS, "default", "crud");
        assertThat(got.metadata().uid()).isEqualTo(created.metadata().uid());

        Pod updated = client.update(ApiResource.PODS, got.withMetadata(got.metadata().withLabel("v", "2")));
        assertThat(updated.metadata().labels()).containsEntry("v", "2");
        // the old resourceVersion is stale now: 409 Conflict with the server's Status
        assertThatThrownBy(() -> client.update(ApiResource.PODS, got.withMetadata(got.metadata().withLabel("v", "3"))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.isConflict()).isTrue();
                    assertThat(e.status().reason()).isEqualTo("Conflict");
                });
        assertThatThrownBy(() -> client.create(ApiResource.PODS, pod("default", "crud")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());

        client.delete(ApiResource.PODS, "default", "crud", DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
        assertThat(client.getOrNull(ApiResource.PODS, "default", "crud")).isNull();
        assertThatThrownBy(() -> client.get(ApiResource.PODS, "default", "crud"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.getMessage()).contains("not found");
                });
    }

    @Test
    void listsBySelectorAcrossNamespacesAndFollowsPages() {
        for (int i = 0; i < 5; i++) {
            client.create(ApiResource.PODS, pod("default", "list-" + i));
        }
        KubeList<Pod> all = client.list(ApiResource.PODS, null, ListOptions.labelSelector("app=web"));
        assertThat(all.items()).extracting(Pod::name).contains("list-0", "list-4");
        assertThat(all.metadata().resourceVersion()).isNotBlank();
        KubeList<Pod> paged = client.listAll(ApiResource.PODS, "default", ListOptions.NONE.withLimit(2));
        assertThat(paged.items()).extracting(Pod::name).contains("list-0", "list-1", "list-2", "list-3", "list-4");
        assertThat(client.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=none")).items()).isEmpty();
    }

    @Test
    void watchesFromAResourceVersionInOrder() throws Exception {
        String rv = client.list(ApiResource.PODS, "default", ListOptions.NONE).metadata().resourceVersion();
        try (WatchStream<Pod> w = client.watch(ApiResource.PODS, "default", ListOptions.NONE.withResourceVersion(rv))) {
            client.create(ApiResource.PODS, pod("default", "w1"));
            Pod w1 = client.get(ApiResource.PODS, "default", "w1");
            client.update(ApiResource.PODS, w1.withMetadata(w1.metadata().withLabel("x", "y")));
            client.delete(ApiResource.PODS, "default", "w1", DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
            WatchEvent<Pod> a = w.next();
            WatchEvent<Pod> b = w.next();
            WatchEvent<Pod> c = w.next();
            assertThat(List.of(a.type(), b.type(), c.type())).containsExactly("ADDED", "MODIFIED", "DELETED");
            assertThat(b.object().metadata().labels()).containsEntry("x", "y");
        }
    }

    @Test
    void aBadTokenIsRefusedWithUnauthorized() throws Exception {
        Kubeconfig good = Kubeconfig.read(api.kubeconfig());
        KubeClient bad = new KubeClient(new Kubeconfig(good.server(), good.caPem(), false, "wrong", null, null, "default"));
        assertThatThrownBy(() -> bad.list(ApiResource.PODS, "default", ListOptions.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
        assertThat(Files.exists(api.kubeconfig())).isTrue();
    }
}
