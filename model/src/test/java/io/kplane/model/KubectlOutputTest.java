package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the real kubectl prints ({@code kubectl create ... --dry-run=client -o yaml|json}, which
 * needs no cluster) reads into the model and writes back with the same content. Skipped where
 * kubectl is not installed.
 */
class KubectlOutputTest {

  static boolean haveKubectl;

  @BeforeAll
  static void findKubectl() {
    try {
      haveKubectl = run("version", "--client").contains("Client Version");
    } catch (IOException | RuntimeException e) {
      haveKubectl = false;
    }
  }

  static String run(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("kubectl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: "
            + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void kubectlManifestsRoundTrip() throws IOException {
    assumeTrue(haveKubectl, "kubectl is not installed");
    String[][] commands = {
        {"create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80", "--dry-run=client", "-o", "yaml"},
        {"create", "deployment", "api", "--image=registry.example.com/api:2", "--dry-run=client", "-o", "json"},
        {"create", "service", "nodeport", "web", "--tcp=80:8080", "--tcp=443:8443", "--node-port=30080", "--dry-run=client", "-o", "yaml"},
        {"create", "service", "clusterip", "headless", "--clusterip=None", "--dry-run=client", "-o", "json"},
        {"create", "service", "loadbalancer", "lb", "--tcp=53:5353", "--dry-run=client", "-o", "yaml"},
        {"create", "namespace", "shop", "--dry-run=client", "-o", "yaml"},
        {"create", "priorityclass", "high", "--value=100000", "--description=important", "--preemption-policy=Never", "--dry-run=client", "-o", "yaml"},
    };
    StringBuilder multi = new StringBuilder();
    for (String[] c : commands) {
      String out = run(c);
      ApiObject obj = Json.readObject(out);
      assertThat(obj).isInstanceOf(KubeObject.class).isNotInstanceOf(GenericObject.class);
      assertThat(JsonRoundTripTest.outputTree(obj)).as(String.join(" ", c)).isEqualTo(JsonRoundTripTest.inputTree(out));
      multi.append("---\n").append(c[c.length - 1].equals("yaml") ? out : Json.writeYaml(obj));
    }
    List<KubeObject> all = Json.readAll(multi.toString());
    assertThat(all).extracting(KubeObject::kind)
        .containsExactly("Deployment", "Deployment", "Service", "Service", "Service", "Namespace", "PriorityClass");
    Service nodePort = (Service) all.get(2);
    assertThat(nodePort.spec().ports()).extracting(ServicePort::port).containsExactly(80, 443);
    assertThat(nodePort.spec().ports().get(0).targetPort()).isEqualTo(IntOrString.of(8080));
    assertThat(((PriorityClass) all.get(6)).value()).isEqualTo(100000);
  }

  @Test
  void ourYamlQuotesWhatYaml11ReadersWouldMisread() {
    ObjectMeta m = ObjectMeta.of("ns", "n")
        .withCreationTimestamp(java.time.Instant.parse("2024-01-02T03:04:05Z"))
        .withLabels(java.util.Map.of("a", "true", "b", "10:30", "c", "0123", "d", "null", "e", "plain"));
    String yaml = Json.writeYaml(m);
    assertThat(yaml).contains("creationTimestamp: \"2024-01-02T03:04:05Z\"")
        .contains("a: \"true\"").contains("b: \"10:30\"").contains("c: \"0123\"").contains("d: \"null\"").contains("e: plain");
    assertThat(Json.read(yaml, ObjectMeta.class)).isEqualTo(m);
  }
}
