package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Container;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Informers against the real API server: list then watch, handlers in order, relist after 410, resync. */
class InformerTest {
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

    static Pod pod(String ns, String name, String node) {
        return Pod.of(ObjectMeta.of(ns, name).withLabel("app", "web"), PodSpec.of(List.of(Container.of("c", "nginx"))).withNodeName(node));
    }

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        Eventually.until(what, Duration.ofSeconds(60), cond);
    }

    static void createNamespace(String ns) {
        client.create(ApiResource.NAMESPACES, io.kplane.model.Namespace.of(ObjectMeta.of(null, ns), null, null));
    }

    @Test
    void listsThenWatchesAndDeliversAddUpdateDeleteInOrder() throws Exception {
        createNamespace("inf-order");
        client.create(ApiResource.PODS, pod("inf-order", "before", "n1"));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Informer<Pod> inf = new Informer<>(client, ApiResource.PODS, "inf-order", ListOptions.NONE, Duration.ZERO)) {
            inf.addHandler(new EventHandler<>() {
                @Override
                public void onAdd(Pod p) {
                    seen.add("add " + p.name());
                }

                @Override
                public void onUpdate(Pod o, Pod n) {
                    seen.add("update " + n.name() + " " + n.metadata().labels().get("v"));
                }

                @Override
                public void onDelete(Pod p) {
                    seen.add("delete " + p.name());
                }
            });
            inf.start();
            assertThat(inf.waitForSync(Duration.ofSeconds(30))).isTrue();
            assertThat(inf.cache().get("inf-order", "before")).isNotNull();
            client.create(ApiResource.PODS, pod("inf-order", "after", "n2"));
            Pod p = client.get(ApiResource.PODS, "inf-order", "after");
            client.update(ApiResource.PODS, p.withMetadata(p.metadata().withLabel("v", "2")));
            client.delete(ApiResource.PODS, "inf-order", "before", DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
            eventually("four events", () -> seen.size() >= 4);
            assertThat(seen).containsExactly("add before", "add after", "update after 2", "delete before");
            assertThat(inf.cache().byIndex(Cache.NODE_NAME, "n2")).extracting(Pod::name).containsExactly("after");
            assertThat(inf.cache().byIndex(Cache.NODE_NAME, "n1")).isEmpty();
            assertThat(inf.listCount()).isEqualTo(1);
        }
    }

    @Test
    void relistsWhenTheWatchResourceVersionWasCompactedAway() throws Exception {
        createNamespace("inf-quiet");
        createNamespace("inf-busy");
        client.create(ApiResource.PODS, pod("inf-quiet", "q0", null));
        List<String> adds = new CopyOnWriteArrayList<>();
        try (Informer<Pod> inf = new Informer<>(client, ApiResource.PODS, "inf-quiet", ListOptions.NONE, Duration.ZERO).watchTimeout(1)) {
            inf.addHandler(EventHandler.onAny(p -> adds.add(p.name())));
            inf.start();
            assertThat(inf.waitForSync(Duration.ofSeconds(30))).isTrue();
            // Revisions move on elsewhere; the informer's watch stays at its list's version (no bookmarks yet).
            String last = null;
            for (int i = 0; i < 10; i++) {
                last = client.create(ApiResource.PODS, pod("inf-busy", "b" + i, null)).metadata().resourceVersion();
            }
            api.storage().compact(Long.parseLong(last));
            eventually("a 410 and a relist", () -> inf.goneCount() >= 1 && inf.listCount() >= 2);
            client.create(ApiResource.PODS, pod("inf-quiet", "q1", null));
            eventually("q1 after the relist", () -> inf.cache().get("inf-quiet", "q1") != null);
            assertThat(inf.cache().keys()).containsExactlyInAnyOrder("inf-quiet/q0", "inf-quiet/q1");
            eventually("q1 delivered to the handler (after the cache)", () -> adds.contains("q1"));
            assertThat(adds).startsWith("q0", "q0");   // the relist delivers q0 again, as an update
        }
    }

    /**
     * The counterpart of the test above: with bookmarks the quiet watch's
     * resourceVersion follows the store's, so after the same compaction the re-opened watch
     * resumes without a 410 and without a relist — what bookmarks are for.
     */
    @Test
    void bookmarksAdvanceTheResourceVersionSoACompactionNeedsNoRelist(@TempDir Path own) throws Exception {
        // bookmarks come from the watch cache (as upstream's cacher sends them), every second here
        try (RealApiServer bookmarking = new RealApiServer(own, c -> c.withBookmarkInterval(Duration.ofSeconds(1))
                .withWatchSource((storage, registry) -> new io.kplane.apiserver.CachedWatchSource(storage)))) {
            KubeClient c = bookmarking.client();
            for (String ns : List.of("bm-quiet", "bm-busy")) {
                c.create(ApiResource.NAMESPACES, io.kplane.model.Namespace.of(ObjectMeta.of(null, ns), null, null));
            }
            c.create(ApiResource.PODS, pod("bm-quiet", "q0", null));
            List<String> events = new CopyOnWriteArrayList<>();
            try (Informer<Pod> inf = new Informer<>(c, ApiResource.PODS, "bm-quiet", ListOptions.NONE, Duration.ZERO)
                    .watchTimeout(2)) {
                inf.addHandler(EventHandler.onAny(p -> events.add(p.name())));
                inf.start();
                assertThat(inf.waitForSync(Duration.ofSeconds(30))).isTrue();
                long listed = Long.parseLong(inf.lastResourceVersion());
                String last = null;
                for (int i = 0; i < 10; i++) {
                    last = c.create(ApiResource.PODS, pod("bm-busy", "b" + i, null)).metadata().resourceVersion();
                }
                long busy = Long.parseLong(last);
                assertThat(busy).isGreaterThan(listed);
                eventually("a bookmark carries the quiet watch to the busy namespace's revision",
                        () -> Long.parseLong(inf.lastResourceVersion()) >= busy);
                bookmarking.storage().compact(busy);
                long watchesBefore = inf.watchCount();
                eventually("the watch re-opened after its timeout", () -> inf.watchCount() >= watchesBefore + 2);
                c.create(ApiResource.PODS, pod("bm-quiet", "q1", null));
                eventually("q1 delivered", () -> events.contains("q1"));
                assertThat(inf.goneCount()).as("no 410").isZero();
                assertThat(inf.listCount()).as("no relist").isEqualTo(1);
                assertThat(events).as("bookmarks deliver nothing to handlers").containsExactly("q0", "q1");
            }
        }
    }

    @Test
    void resyncRedeliversEveryCachedObjectAsAnUpdate() throws Exception {
        createNamespace("inf-resync");
        client.create(ApiResource.PODS, pod("inf-resync", "r0", null));
        List<String> updates = new CopyOnWriteArrayList<>();
        try (Informer<Pod> inf = new Informer<>(client, ApiResource.PODS, "inf-resync", ListOptions.NONE, Duration.ofMillis(200))) {
            inf.addHandler(new EventHandler<>() {
                @Override
                public void onUpdate(Pod o, Pod n) {
                    if (o == n) {
                        updates.add(n.name());
                    }
                }
            });
            inf.start();
            eventually("two resyncs", () -> updates.size() >= 2);
            assertThat(updates).containsOnly("r0");
        }
    }

    @Test
    void labelSelectorsRestrictTheInformer() throws Exception {
        createNamespace("inf-sel");
        client.create(ApiResource.PODS, pod("inf-sel", "web", null));
        Pod other = pod("inf-sel", "db", null);
        client.create(ApiResource.PODS, other.withMetadata(other.metadata().withLabels(java.util.Map.of("app", "db"))));
        try (Informer<Pod> inf = new Informer<>(client, ApiResource.PODS, "inf-sel", ListOptions.labelSelector("app=db"), Duration.ZERO)) {
            inf.start();
            assertThat(inf.waitForSync(Duration.ofSeconds(30))).isTrue();
            assertThat(inf.cache().keys()).containsExactly("inf-sel/db");
        }
    }
}
