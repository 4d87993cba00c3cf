package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * policy/v1 PodDisruptionBudgets and the {@code pods/eviction} subresource, driven with real
 * kubectl 1.32 ({@code create -f}, {@code get pdb}, {@code create --raw .../eviction},
 * {@code drain}). The budgets' status is written here as the disruption controller would.
 */
@Timeout(300)
class EvictionTest {

  static TestApiServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static TestApiServer.Run ok(String... args) throws Exception {
    TestApiServer.Run r = server.kubectl(args);
    assertThat(r.code()).as("kubectl %s\n%s", String.join(" ", args), r).isZero();
    return r;
  }

  /** kubectl's generators (create namespace, create pdb) send protobuf, which this server answers with 415: YAML instead. */
  static void create(String yaml) throws Exception {
    TestApiServer.Run r = server.kubectlWithInput(yaml, "create", "-f", "-");
    assertThat(r.code()).as("%s", r).isZero();
  }

  static void namespace(String ns) throws Exception {
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
  }

  static void budget(String ns, String name, String app, String rule) throws Exception {
    create("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: " + name + ", namespace: " + ns
        + "}\nspec: {" + rule + ", selector: {matchLabels: {app: " + app + "}}}\n");
  }

  static JsonNode json(String... args) throws Exception {
    return Registry.JSON.readTree(ok(args).out());
  }

  /** A pod bound to node-1 in {@code phase}, Ready exactly when Running. */
  static void runningPod(String ns, String name, String app, String phase) throws Exception {
    TestApiServer.Run r = server.kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: {app: %s}}
        spec:
          nodeName: node-1
          terminationGracePeriodSeconds: 0
          containers: [{name: c, image: pause}]
        """.formatted(name, ns, app), "create", "-f", "-");
    assertThat(r.code()).as("%s", r).isZero();
    Registry reg = server.server().registry();
    ResourceType pods = reg.resources().find("", "v1", "pods");
    ObjectNode p = reg.get(pods, ns, name);
    ObjectNode status = p.putObject("status");
    status.put("phase", phase);
    status.putArray("conditions").addObject().put("type", "Ready").put("status", phase.equals("Running") ? "True" : "False");
    reg.update(pods, ns, name, "status", p, false);
  }

  /** Writes a budget's status as the disruption controller would. */
  static void budgetStatus(String ns, String name, long observedGeneration, int allowed, int current, int desired) {
    Registry reg = server.server().registry();
    ResourceType t = reg.resources().find("policy", "v1", "poddisruptionbudgets");
    ObjectNode b = reg.get(t, ns, name);
    ObjectNode st = b.putObject("status");
    st.put("observedGeneration", observedGeneration).put("disruptionsAllowed", allowed).put("currentHealthy", current)
        .put("desiredHealthy", desired).put("expectedPods", current);
    reg.update(t, ns, name, "status", b, false);
  }

  static TestApiServer.Run evict(String ns, String pod) throws Exception {
    return server.kubectlWithInput("""
        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"}}
        """.formatted(pod, ns), "create", "--raw", "/api/v1/namespaces/" + ns + "/pods/" + pod + "/eviction", "-f", "-");
  }

  @Test
  void aBudgetWithNoDisruptionsLeftRefusesEvictionWith429AndAllowedOnesAreCountedDown() throws Exception {
    namespace("evict");
    create("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n");
    runningPod("evict", "web-0", "web", "Running");
    runningPod("evict", "web-1", "web", "Running");
    budget("evict", "web", "web", "minAvailable: 1");
    assertThat(json("get", "pdb", "web", "-n", "evict", "-o", "json").path("metadata").path("generation").asLong()).isEqualTo(1);

    // Not yet observed by the controller: 429, "still being processed".
    TestApiServer.Run r = evict("evict", "web-0");
    assertThat(r.code()).as("%s", r).isNotZero();
    assertThat(r.err()).contains("TooManyRequests").contains("Cannot evict pod as it would violate the pod's disruption budget");

    budgetStatus("evict", "web", 1, 1, 2, 1);
    assertThat(ok("get", "pdb", "-n", "evict").out()).contains("MIN AVAILABLE").contains("ALLOWED DISRUPTIONS")
        .containsPattern("web\\s+1\\s+N/A\\s+1");
    ok(evictArgs("evict", "web-0"));
    assertThat(server.kubectl("get", "pod", "web-0", "-n", "evict").err()).contains("NotFound");
    JsonNode st = json("get", "pdb", "web", "-n", "evict", "-o", "json").path("status");
    assertThat(st.path("disruptionsAllowed").asInt()).isZero();
    assertThat(st.path("disruptedPods").has("web-0")).isTrue();
    assertThat(st.path("conditions").get(0).path("reason").asText()).isEqualTo("InsufficientPods");

    // The budget is used up: the next eviction is refused and the pod stays.
    r = evict("evict", "web-1");
    assertThat(r.code()).as("%s", r).isNotZero();
    assertThat(r.err()).contains("TooManyRequests");
    assertThat(ok("get", "pod", "web-1", "-n", "evict").out()).contains("web-1");

    // kubectl drain meets the same 429 and retries until its timeout.
    TestApiServer.Run drain = server.kubectl("drain", "node-1", "--pod-selector=app=web", "--force", "--timeout=3s",
        "--ignore-daemonsets");
    assertThat(drain.code()).as("%s", drain).isNotZero();
    assertThat(drain.out() + drain.err()).contains("Cannot evict pod as it would violate the pod's disruption budget");
    assertThat(ok("get", "pod", "web-1", "-n", "evict").out()).contains("web-1");
  }

  private static String[] evictArgs(String ns, String pod) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile(server.dir, "eviction", ".json");
    java.nio.file.Files.writeString(f, """
        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"}}
        """.formatted(pod, ns));
    return new String[] {"create", "--raw", "/api/v1/namespaces/" + ns + "/pods/" + pod + "/eviction", "-f", f.toString()};
  }

  @Test
  void pendingPodsAndPodsWithoutBudgetGoAndTwoBudgetsAreAnError() throws Exception {
    namespace("evict2");
    runningPod("evict2", "pending", "db", "Pending");
    runningPod("evict2", "free", "other", "Running");
    runningPod("evict2", "twice", "db", "Running");
    budget("evict2", "db-a", "db", "minAvailable: 1");
    budget("evict2", "db-b", "db", "maxUnavailable: 0");
    ok(evictArgs("evict2", "pending"));
    ok(evictArgs("evict2", "free"));
    TestApiServer.Run r = evict("evict2", "twice");
    assertThat(r.err()).contains("more than one PodDisruptionBudget");
    assertThat(ok("get", "pod", "twice", "-n", "evict2").out()).contains("twice");
    assertThat(server.kubectl("get", "pod", "pending", "-n", "evict2").err()).contains("NotFound");
  }

  @Test
  void invalidBudgetsAreRejected() throws Exception {
    namespace("evict3");
    TestApiServer.Run r = server.kubectlWithInput("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: both, namespace: evict3}
        spec: {minAvailable: 1, maxUnavailable: 1, selector: {matchLabels: {app: x}}}
        """, "create", "-f", "-");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("minAvailable and maxUnavailable cannot be both set");
    r = server.kubectlWithInput("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: pct, namespace: evict3}
        spec: {minAvailable: "150%", selector: {matchLabels: {app: x}}}
        """, "create", "-f", "-");
    assertThat(r.err()).contains("spec.minAvailable");
  }
}
