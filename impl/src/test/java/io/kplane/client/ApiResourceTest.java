package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiResourceTest {
    @Test
    void pathsFollowTheKubernetesRestLayout() {
        assertThat(ApiResource.PODS.path("default", null, null)).isEqualTo("/api/v1/namespaces/default/pods");
        assertThat(ApiResource.PODS.path(null, null, null)).isEqualTo("/api/v1/pods");
        assertThat(ApiResource.PODS.path("ns", "p", "binding")).isEqualTo("/api/v1/namespaces/ns/pods/p/binding");
        assertThat(ApiResource.NODES.path(null, "n1", "status")).isEqualTo("/api/v1/nodes/n1/status");
        assertThat(ApiResource.DEPLOYMENTS.path("d", "web", null)).isEqualTo("/apis/apps/v1/namespaces/d/deployments/web");
        assertThat(ApiResource.LEASES.path("kube-system", "x", null))
                .isEqualTo("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x");
        assertThat(ApiResource.REPLICA_SETS.apiVersion()).isEqualTo("apps/v1");
        assertThat(ApiResource.ENDPOINT_SLICES.toString()).isEqualTo("endpointslices.discovery.k8s.io");
        assertThatThrownBy(() -> ApiResource.PODS.path(null, "p", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listAndWatchQueriesAreEncoded() {
        ListOptions o = ListOptions.labelSelector("app in (a,b)").withResourceVersion("42").withLimit(500).withContinue("tok");
        assertThat(o.query(false)).isEqualTo("labelSelector=app+in+%28a%2Cb%29&resourceVersion=42&limit=500&continue=tok");
        assertThat(o.withBookmarks(true).withTimeoutSeconds(300).query(true))
                .isEqualTo("watch=true&labelSelector=app+in+%28a%2Cb%29&resourceVersion=42&timeoutSeconds=300&allowWatchBookmarks=true");
        assertThat(ListOptions.NONE.query(false)).isEmpty();
    }

    @Test
    void deleteOptionsCarryPropagationAndPreconditions() {
        assertThat(DeleteOptions.preconditionUid("u1").withPropagation(DeleteOptions.FOREGROUND).body())
                .containsEntry("propagationPolicy", "Foreground")
                .containsEntry("preconditions", java.util.Map.of("uid", "u1"));
        assertThat(DeleteOptions.DEFAULT.body()).containsOnlyKeys("apiVersion", "kind");
    }
}
