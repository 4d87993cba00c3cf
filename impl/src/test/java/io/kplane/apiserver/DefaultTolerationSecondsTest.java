package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Which pods the DefaultTolerationSeconds admission gives not-ready/unreachable tolerations, as upstream decides. */
class DefaultTolerationSecondsTest {
  static final DefaultTolerationSeconds ADMISSION = new DefaultTolerationSeconds(300, 120);

  static ObjectNode pod(String tolerationsJson) throws Exception {
    return (ObjectNode) Registry.JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]"
        + (tolerationsJson == null ? "" : ",\"tolerations\":" + tolerationsJson) + "}}");
  }

  static JsonNode tolerations(ObjectNode pod) {
    return pod.path("spec").path("tolerations");
  }

  @Test
  void aPodWithoutTolerationsGetsBothWithTheirOwnSeconds() throws Exception {
    ObjectNode p = pod(null);
    ADMISSION.admit(p);
    assertThat(tolerations(p)).isEqualTo(Registry.JSON.readTree("""
        [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
         {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":120}]"""));
  }

  @Test
  void anExistingTolerationForOneTaintKeepsItsOwnAndOnlyTheOtherIsAdded() throws Exception {
    ObjectNode p = pod("[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":5}]");
    ADMISSION.admit(p);
    assertThat(tolerations(p)).hasSize(2);
    assertThat(tolerations(p).get(0).path("tolerationSeconds").asLong()).isEqualTo(5);
    assertThat(tolerations(p).get(1).path("key").asText()).isEqualTo("node.kubernetes.io/unreachable");
  }

  @Test
  void anEmptyKeyOrEmptyEffectCountsAsToleratingAndNothingIsAdded() throws Exception {
    ObjectNode any = pod("[{\"operator\":\"Exists\"}]");
    ADMISSION.admit(any);
    assertThat(tolerations(any)).hasSize(1);
    ObjectNode bothKeysNoEffect = pod("[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\"},"
        + "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Equal\",\"value\":\"x\"}]");
    ADMISSION.admit(bothKeysNoEffect);
    assertThat(tolerations(bothKeysNoEffect)).as("upstream checks key and effect only, not operator or value").hasSize(2);
  }

  @Test
  void aNoScheduleTolerationOfTheSameKeyDoesNotCount() throws Exception {
    ObjectNode p = pod("[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"},"
        + "{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoExecute\"}]");
    ADMISSION.admit(p);
    assertThat(tolerations(p)).extracting(t -> t.path("key").asText()).containsExactly(
        "node.kubernetes.io/unreachable", "dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
  }

  @Test
  void negativeSecondsAreRefused() {
    assertThatThrownBy(() -> new DefaultTolerationSeconds(-1, 300)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRegistryAdmitsPodsOnCreateWithUpstreamsDefaultAndLeavesOtherKindsAlone() throws Exception {
    Registry registry = new Registry(new EmbeddedStorage(), Resources.builtIn(), Clock.systemUTC());
    registry.create(registry.resources().find("", "v1", "namespaces"), null,
        (ObjectNode) Registry.JSON.readTree("{\"metadata\":{\"name\":\"default\"}}"), false);
    ResourceType pods = registry.resources().find("", "v1", "pods");
    ObjectNode created = registry.create(pods, "default", pod(null), false);
    assertThat(tolerations(created)).extracting(t -> t.path("tolerationSeconds").asLong()).containsExactly(300L, 300L);
    ObjectNode stored = registry.get(pods, "default", "p");
    assertThat(tolerations(stored)).isEqualTo(tolerations(created));
    ResourceType deployments = registry.resources().find("apps", "v1", "deployments");
    ObjectNode d = (ObjectNode) Registry.JSON.readTree("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
         "spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
                 "spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
    ObjectNode dc = registry.create(deployments, "default", d, false);
    assertThat(dc.path("spec").path("template").path("spec").has("tolerations"))
        .as("templates are not pods: admission leaves them to the pods created from them").isFalse();
  }
}
