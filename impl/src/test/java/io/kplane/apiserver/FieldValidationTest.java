package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fieldValidation=Strict|Warn|Ignore on writes: unknown and duplicate fields, over raw HTTP and with real kubectl. */
class FieldValidationTest {
  static TestApiServer server;
  static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true);
    http = new TestHttp(server, true, false);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labelz":{"a":"b"}},
       "spec":{"replicas":1,"replicas":2,"selector":{"matchLabels":{"app":"x"}},
        "template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"busybox","imagePullPolicyy":"Always",
        "env":[{"name":"A","value":"1","valueFrom2":{}}],"resources":{"limits":{"cpu":"1"}}}]}}}}
      """;

  @Test
  void unknownFieldsAreFoundAtEveryDepthAndMapKeysAndEmbeddedStructsAreNotUnknown() throws Exception {
    JsonNode pod = Registry.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"any-key":"v"},"bogus":1},
         "spec":{"containers":[{"name":"c","env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s","key":"k","extra":true}}}]}],
          "volumes":[{"name":"v","emptyDir":{},"configMap":{"name":"cm"},"gcePersistentDisk":{"pdName":"d"}}]},
         "status":{"phase":"Pending","hostIPs":[{"ip":"1.2.3.4"}]}}
        """);
    assertThat(FieldValidation.unknown(pod, ProtobufSchema.message("Pod"), "", false))
        .containsExactly("metadata.bogus", "spec.containers[0].env[0].valueFrom.secretKeyRef.extra");
    byte[] dup = "{\"a\":1,\"b\":{\"c\":[{\"d\":1,\"d\":2},{\"d\":3}],\"c\":0},\"a\":2}".getBytes(StandardCharsets.UTF_8);
    assertThat(FieldValidation.duplicates(Registry.JSON.getFactory(), dup)).containsExactly("b.c[0].d", "b.c", "a");
    // strategic merge patch directives are not fields
    JsonNode patch = Registry.JSON.readTree("{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"c\"}],"
        + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"$patch\":\"delete\"}]}}}}");
    assertThat(FieldValidation.unknown(patch, ProtobufSchema.message("Deployment"), "", true)).isEmpty();
  }

  @Test
  void strictRejectsWithEveryProblemWarnWarnsAndIgnoreIsSilent() throws Exception {
    HttpResponse<String> strict = http.send("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict",
        DEPLOYMENT.formatted("strict"), "application/json");
    assertThat(strict.statusCode()).isEqualTo(400);
    JsonNode status = Registry.JSON.readTree(strict.body());
    assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
    assertThat(status.path("message").asText()).isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: "
        + "strict decoding error: unknown field \"metadata.labelz\", "
        + "unknown field \"spec.template.spec.containers[0].imagePullPolicyy\", "
        + "unknown field \"spec.template.spec.containers[0].env[0].valueFrom2\", duplicate field \"spec.replicas\"");
    assertThat(http.send("GET", "/apis/apps/v1/namespaces/default/deployments/strict", null, null).statusCode()).isEqualTo(404);

    HttpResponse<String> warn = http.send("POST", "/apis/apps/v1/namespaces/default/deployments", DEPLOYMENT.formatted("warned"),
        "application/json");
    assertThat(warn.statusCode()).isEqualTo(201);
    assertThat(warn.headers().allValues("Warning")).containsExactly(
        "299 - \"unknown field \\\"metadata.labelz\\\"\"",
        "299 - \"unknown field \\\"spec.template.spec.containers[0].imagePullPolicyy\\\"\"",
        "299 - \"unknown field \\\"spec.template.spec.containers[0].env[0].valueFrom2\\\"\"",
        "299 - \"duplicate field \\\"spec.replicas\\\"\"");
    assertThat(Registry.JSON.readTree(warn.body()).path("spec").path("replicas").asInt()).as("the last duplicate wins").isEqualTo(2);

    HttpResponse<String> ignore = http.send("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore",
        DEPLOYMENT.formatted("ignored"), "application/json");
    assertThat(ignore.statusCode()).isEqualTo(201);
    assertThat(ignore.headers().allValues("Warning")).isEmpty();

    HttpResponse<String> clean = http.send("POST", "/api/v1/namespaces?fieldValidation=Strict",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"clean\"}}", "application/json");
    assertThat(clean.statusCode()).isEqualTo(201);
    assertThat(clean.headers().allValues("Warning")).isEmpty();

    // patches: a merge patch with an unknown field, strictly
    HttpResponse<String> patch = http.send("PATCH", "/apis/apps/v1/namespaces/default/deployments/warned?fieldValidation=Strict",
        "{\"spec\":{\"replicaz\":3}}", "application/merge-patch+json");
    assertThat(patch.statusCode()).isEqualTo(400);
    assertThat(patch.body()).contains("unknown field \\\"spec.replicaz\\\"");
    HttpResponse<String> scale = http.send("PATCH", "/apis/apps/v1/namespaces/default/deployments/warned/scale?fieldValidation=Strict",
        "{\"spec\":{\"replicas\":3}}", "application/merge-patch+json");
    assertThat(scale.statusCode()).as(scale.body()).isEqualTo(200);

    HttpResponse<String> bad = http.send("POST", "/api/v1/namespaces?fieldValidation=Loose",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"loose\"}}", "application/json");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("fieldValidation");
  }

  @Test
  void kubectlCreateAndApplyAreStrictAndKubectlPrintsWarnings() throws Exception {
    String manifest = """
        apiVersion: v1
        kind: Service
        metadata: {name: typo, namespace: default}
        spec:
          ports: [{port: 80, targetPortt: 8080}]
        """;
    TestApiServer.Run create = server.kubectlWithInput(manifest, "create", "-f", "-");
    assertThat(create.code()).isNotZero();
    assertThat(create.err()).contains("BadRequest", "strict decoding error: unknown field \"spec.ports[0].targetPortt\"");
    TestApiServer.Run apply = server.kubectlWithInput(manifest, "apply", "-f", "-");
    assertThat(apply.code()).isNotZero();
    assertThat(apply.err()).contains("strict decoding error: unknown field \"spec.ports[0].targetPortt\"");
    TestApiServer.Run warn = server.kubectlWithInput(manifest, "create", "--validate=warn", "-f", "-");
    assertThat(warn.code()).as("%s", warn).isZero();
    assertThat(warn.err()).contains("Warning: unknown field \"spec.ports[0].targetPortt\"");
    TestApiServer.Run ignore = server.kubectlWithInput(manifest.replace("typo", "typo2"), "create", "--validate=false", "-f", "-");
    assertThat(ignore.code()).as("%s", ignore).isZero();
    assertThat(ignore.err()).doesNotContain("Warning");
  }
}
