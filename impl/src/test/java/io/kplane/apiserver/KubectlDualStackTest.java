package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real kubectl against a dual-stack API server ({@code 10.96.0.0/12,fd00:10:96::/108}): applying a
 * PreferDualStack Service gives it an IP of each family, re-applying the same manifest changes
 * nothing, applying it with SingleStack downgrades it, and a cluster IP outside the ranges is
 * refused with upstream's message.
 */
class KubectlDualStackTest {
  private static TestApiServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true).withServiceClusterIpRange("10.96.0.0/12,fd00:10:96::/108");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String manifest(String policy, String families) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: dual}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: dual}
        spec:
          ipFamilyPolicy: %s
          ipFamilies: %s
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """.formatted(policy, families);
  }

  private static TestApiServer.Run ok(String stdin, String... args) throws Exception {
    TestApiServer.Run r = server.kubectlWithInput(stdin, args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  private static JsonNode spec() throws Exception {
    return Registry.JSON.readTree(ok(null, "get", "-n", "dual", "svc", "web", "-o", "json").out()).path("spec");
  }

  @Test
  void applyGetsBothFamiliesReappliesUnchangedAndDowngrades() throws Exception {
    ok(manifest("PreferDualStack", "[IPv6, IPv4]"), "apply", "-f", "-");
    JsonNode spec = spec();
    assertThat(spec.path("ipFamilies").toString()).isEqualTo("[\"IPv6\",\"IPv4\"]");
    assertThat(spec.path("clusterIPs")).hasSize(2);
    String v6 = spec.path("clusterIPs").get(0).asText();
    assertThat(ServiceCidr.parse("fd00:10:96::/108").contains(v6)).as(v6).isTrue();
    assertThat(ServiceCidr.parse("10.96.0.0/12").contains(spec.path("clusterIPs").get(1).asText())).isTrue();
    assertThat(spec.path("clusterIP").asText()).isEqualTo(v6);
    assertThat(ok(null, "get", "-n", "dual", "svc", "web").out()).contains(v6);

    assertThat(ok(manifest("PreferDualStack", "[IPv6, IPv4]"), "apply", "-f", "-").out()).contains("service/web unchanged");
    assertThat(spec().path("clusterIPs")).isEqualTo(spec.path("clusterIPs"));

    assertThat(ok(manifest("SingleStack", "[IPv6]"), "apply", "-f", "-").out()).contains("service/web configured");
    JsonNode single = spec();
    assertThat(single.path("clusterIPs").toString()).isEqualTo("[\"" + v6 + "\"]");
    assertThat(single.path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
  }

  @Test
  void serverSideApplyAllocatesBothAndKeepsThemOnReapply() throws Exception {
    String m = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: dual-ssa}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: dual-ssa}
        spec:
          ipFamilyPolicy: RequireDualStack
          selector: {app: api}
          ports: [{port: 443}]
        """;
    ok(m, "apply", "--server-side", "-f", "-");
    JsonNode first = Registry.JSON.readTree(ok(null, "get", "-n", "dual-ssa", "svc", "api", "-o", "json").out()).path("spec");
    assertThat(first.path("ipFamilies").toString()).isEqualTo("[\"IPv4\",\"IPv6\"]");
    assertThat(first.path("clusterIPs")).hasSize(2);
    ok(m, "apply", "--server-side", "-f", "-");
    JsonNode again = Registry.JSON.readTree(ok(null, "get", "-n", "dual-ssa", "svc", "api", "-o", "json").out()).path("spec");
    assertThat(again.path("clusterIPs")).isEqualTo(first.path("clusterIPs"));
  }

  @Test
  void aClusterIpOutsideTheRangesIsRefused() throws Exception {
    ok(null, "create", "namespace", "dual-bad");
    TestApiServer.Run r = server.kubectl("create", "service", "clusterip", "off", "-n", "dual-bad", "--tcp=80:80",
        "--clusterip=fd00:99::1");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("failed to allocate IP fd00:99::1: the provided IP (fd00:99::1) is not in the valid range");
  }
}
