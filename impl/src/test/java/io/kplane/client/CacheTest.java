package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Container;
import io.kplane.model.Node;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheTest {
    static Pod pod(String ns, String name, String node, Map<String, String> labels) {
        return Pod.of(ObjectMeta.of(ns, name).withLabels(labels), PodSpec.of(List.of(Container.of("c", "i"))).withNodeName(node));
    }

    @Test
    void indexesByNamespaceLabelAndNodeFollowUpdatesAndRemovals() {
        Cache<Pod> c = new Cache<>();
        c.put(pod("a", "p1", "n1", Map.of("app", "web")));
        c.put(pod("a", "p2", "n2", Map.of("app", "web", "tier", "fe")));
        c.put(pod("b", "p1", null, Map.of("app", "db")));
        assertThat(c.byIndex(Cache.NAMESPACE, "a")).extracting(Pod::name).containsExactlyInAnyOrder("p1", "p2");
        assertThat(c.byIndex(Cache.LABEL, "app=web")).hasSize(2);
        assertThat(c.byIndex(Cache.NODE_NAME, "n1")).extracting(Pod::name).containsExactly("p1");
        assertThat(c.get("b/p1").metadata().labels()).containsEntry("app", "db");

        // an update moves the pod between index values
        c.put(pod("a", "p1", "n2", Map.of("app", "api")));
        assertThat(c.byIndex(Cache.NODE_NAME, "n1")).isEmpty();
        assertThat(c.byIndex(Cache.NODE_NAME, "n2")).hasSize(2);
        assertThat(c.byIndex(Cache.LABEL, "app=web")).extracting(Pod::name).containsExactly("p2");

        c.remove(pod("a", "p2", null, null));
        assertThat(c.byIndex(Cache.LABEL, "app=web")).isEmpty();
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void replaceReturnsWhatWasDroppedAndRebuildsIndexes() {
        Cache<Pod> c = new Cache<>();
        c.put(pod("a", "p1", "n1", Map.of()));
        c.put(pod("a", "p2", "n1", Map.of()));
        List<Pod> dropped = c.replace(List.of(pod("a", "p2", "n3", Map.of()), pod("a", "p3", "n3", Map.of())));
        assertThat(dropped).extracting(Pod::name).containsExactly("p1");
        assertThat(c.byIndex(Cache.NODE_NAME, "n1")).isEmpty();
        assertThat(c.byIndex(Cache.NODE_NAME, "n3")).hasSize(2);
    }

    @Test
    void clusterScopedKeysHaveNoNamespaceAndCustomIndexesWork() {
        Cache<Node> c = new Cache<>();
        c.addIndex("zone", n -> List.of(n.metadata().labels().getOrDefault("zone", "none")));
        c.put(Node.of(ObjectMeta.of(null, "n1").withLabel("zone", "z1"), null, null));
        assertThat(c.keys()).containsExactly("n1");
        assertThat(c.byIndex("zone", "z1")).hasSize(1);
        assertThat(Cache.key(null, "x")).isEqualTo("x");
        assertThat(Cache.key("ns", "x")).isEqualTo("ns/x");
    }
}
