package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * QoS tables after Kubernetes' qos_test.go. Each container is written as
 * {@code requests ~ limits} with comma-free lists {@code cpu=1;memory=1Gi}; containers are separated
 * by {@code |}, an init container is prefixed with {@code init:}.
 */
class QosClassTest {

  private static Map<String, Quantity> list(String spec) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    if (!spec.isBlank()) {
      for (String kv : spec.split(";")) {
        String[] p = kv.split("=");
        m.put(p[0].trim(), Quantity.parse(p[1].trim()));
      }
    }
    return m;
  }

  static PodSpec spec(String containers) {
    List<Container> regular = new ArrayList<>();
    List<Container> init = new ArrayList<>();
    int i = 0;
    for (String c : containers.split("\\|")) {
      boolean isInit = c.trim().startsWith("init:");
      String body = isInit ? c.trim().substring(5) : c.trim();
      String[] rl = body.split("~", -1);
      Container container = Container.of("c" + i++, "img").withResources(ResourceRequirements.of(list(rl[0]), list(rl[1])));
      (isInit ? init : regular).add(container);
    }
    return PodSpec.of(regular).withInitContainers(init);
  }

  @ParameterizedTest(name = "[{0}] is {1}")
  @CsvSource(delimiter = '#', value = {
      " ~ # BestEffort",
      " ~ | ~ # BestEffort",
      "ephemeral-storage=1Gi ~ # BestEffort",
      "nvidia.com/gpu=1 ~ nvidia.com/gpu=1 # BestEffort",
      " ~ cpu=100m;memory=100Mi # Guaranteed",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi # Guaranteed",
      "cpu=0.1;memory=104857600 ~ cpu=100m;memory=100Mi # Guaranteed",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi | cpu=1;memory=1Gi ~ cpu=1;memory=1Gi # Guaranteed",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi | ~ # Burstable",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi | init: ~ # Burstable",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi | init:cpu=50m;memory=50Mi ~ cpu=50m;memory=50Mi # Guaranteed",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi | init:cpu=50m ~ cpu=100m # Burstable",
      "cpu=100m ~ # Burstable",
      "cpu=100m ~ cpu=100m # Burstable",
      "cpu=100m;memory=100Mi ~ cpu=200m;memory=100Mi # Burstable",
      "cpu=100m;memory=100Mi ~ cpu=100m;memory=100Mi;nvidia.com/gpu=1 # Guaranteed",
      "memory=100Mi ~ cpu=100m;memory=200Mi # Burstable",
      "cpu=1;memory=1Gi ~ cpu=2;memory=1Gi | cpu=2;memory=1Gi ~ cpu=1;memory=1Gi # Burstable",
      " ~ cpu=0;memory=0 # BestEffort",
  })
  void computesAsKubernetes(String containers, String expected) {
    assertThat(QosClass.compute(spec(containers)).value()).isEqualTo(expected);
  }

  @Test
  void podLevelResourcesDecideWhenPresent() {
    PodSpec s = spec(" ~ ").withResources(ResourceRequirements.of(Map.of(), Map.of("cpu", Quantity.parse("1"), "memory", Quantity.parse("1Gi"))));
    assertThat(QosClass.compute(s)).isEqualTo(QosClass.GUARANTEED);
    PodSpec b = spec("cpu=1;memory=1Gi ~ cpu=1;memory=1Gi").withResources(ResourceRequirements.of(Map.of("cpu", Quantity.parse("1")), Map.of()));
    assertThat(QosClass.compute(b)).isEqualTo(QosClass.BURSTABLE);
  }

  @Test
  void statusQosClassWinsOverComputation() {
    Pod pod = Pod.of(ObjectMeta.of("ns", "p"), spec(" ~ "));
    assertThat(QosClass.of(pod)).isEqualTo(QosClass.BEST_EFFORT);
    Pod reported = pod.withStatus(PodStatus.EMPTY.withQosClass("Burstable"));
    assertThat(QosClass.of(reported)).isEqualTo(QosClass.BURSTABLE);
    assertThatThrownBy(() -> QosClass.fromValue("Gold")).hasMessageContaining("\"Gold\"");
    assertThat(QosClass.compute(null)).isEqualTo(QosClass.BEST_EFFORT);
  }

  @Test
  void fixturePodIsBurstableBecauseOfItsSidecar() {
    Pod pod = Json.read(JsonRoundTripTest.fixture("pod.yaml"), Pod.class);
    // the fixture's status says Guaranteed, but the log-shipper sidecar defaults requests=limits
    // (100m/64Mi) so both containers are Guaranteed -> the computed class agrees.
    assertThat(QosClass.compute(pod.spec())).isEqualTo(QosClass.GUARANTEED);
  }
}
