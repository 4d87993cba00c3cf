package io.kplane.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.kplane.model.Affinity;
import io.kplane.model.Container;
import io.kplane.model.ContainerPort;
import io.kplane.model.Json;
import io.kplane.model.LabelSelector;
import io.kplane.model.ObjectMeta;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.PodAffinity;
import io.kplane.model.PodAffinityTerm;
import io.kplane.model.PodSpec;
import io.kplane.model.Quantity;
import io.kplane.model.ResourceRequirements;
import io.kplane.model.Toleration;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The API model's codec on a typical controller-made pod (~1.4 KB of JSON: labels, owner
 * reference, two containers with resources and ports, anti-affinity, tolerations, unknown fields).
 * {@code decodeTree} is the peer: Jackson's untyped tree of the same bytes, i.e. the cost of
 * parsing alone; {@code decodePod} / {@code decodeTree} is the price of typed records with
 * unknown-field preservation. The API server decodes once per write and encodes once per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelCodecBenchmark {

  private byte[] podJson;
  private Pod pod;
  private String[] quantities;
  private int next;

  @Setup
  public void setUp() {
    ResourceRequirements res = ResourceRequirements.of(
        Map.of("cpu", Quantity.parse("250m"), "memory", Quantity.parse("256Mi")),
        Map.of("cpu", Quantity.parse("1"), "memory", Quantity.parse("512Mi")));
    Container web = Container.of("web", "registry.example.com/shop/web:1.4.2")
        .withPorts(List.of(ContainerPort.of("http", 8080), ContainerPort.of("metrics", 9090)))
        .withResources(res);
    Container sidecar = Container.of("log-shipper", "registry.example.com/tools/shipper:2.0")
        .withResources(ResourceRequirements.of(Map.of("cpu", Quantity.parse("50m"), "memory", Quantity.parse("64Mi")), null));
    PodAffinity anti = new PodAffinity(List.of(new PodAffinityTerm(LabelSelector.of(Map.of("app", "web")), null,
        "kubernetes.io/hostname", null, null, null, null)), null, null);
    PodSpec spec = PodSpec.of(List.of(web, sidecar))
        .withAffinity(new Affinity(null, null, anti, null))
        .withTolerations(List.of(new Toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", 300L, null)))
        .withSchedulerName("default-scheduler")
        .withPriority(0)
        .withExtra(Map.of("dnsPolicy", "ClusterFirst", "enableServiceLinks", true,
            "volumes", List.of(Map.of("name", "config", "configMap", Map.of("name", "web-config")))));
    ObjectMeta meta = ObjectMeta.of("shop", "web-7d4b9c8f6-abcde")
        .withGenerateName("web-7d4b9c8f6-")
        .withUid("11111111-2222-3333-4444-555555555555")
        .withResourceVersion("48401")
        .withCreationTimestamp(Instant.parse("2024-01-02T03:04:07Z"))
        .withLabels(Map.of("app", "web", "pod-template-hash", "7d4b9c8f6", "tier", "frontend"))
        .withOwnerReferences(List.of(new OwnerReference("apps/v1", "ReplicaSet", "web-7d4b9c8f6",
            "22222222-3333-4444-5555-666666666666", true, true, null)));
    pod = Pod.of(meta, spec);
    podJson = Json.writeBytes(pod);
    quantities = new String[] {"250m", "1", "512Mi", "1.5Gi", "100Ki", "2", "64Mi", "0.5"};
  }

  /** Bytes of the pod, for the report's context. */
  public int podJsonBytes() {
    return podJson.length;
  }

  @Benchmark
  public Pod decodePod() {
    return Json.read(podJson, Pod.class);
  }

  @Benchmark
  public JsonNode decodeTree() throws IOException {
    return Json.jsonMapper().readTree(podJson);
  }

  @Benchmark
  public byte[] encodePod() {
    return Json.writeBytes(pod);
  }

  @Benchmark
  public long parseQuantity() {
    String q = quantities[next++ & 7];
    return Quantity.parse(q).milliValue();
  }
}
