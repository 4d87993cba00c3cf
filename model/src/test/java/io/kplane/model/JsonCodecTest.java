package io.kplane.model;

import static io.kplane.model.JsonRoundTripTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  @Test
  void unknownFieldsSurviveReadModifyWriteAtEveryLevel() {
    String text = """
        {"apiVersion":"v1","kind":"Pod","topLevelX":{"a":[1,2.50,"three",null,true]},
         "metadata":{"name":"p","namespace":"ns","managedFields":[{"manager":"kubectl"}],"selfLink":"/x"},
         "spec":{"dnsPolicy":"ClusterFirst","volumes":[{"name":"v","emptyDir":{}}],
           "containers":[{"name":"c","image":"i","env":[{"name":"A","value":"1"}],
             "resources":{"requests":{"cpu":"1"},"claims":[{"name":"gpu"}]},
             "readinessProbe":{"grpc":{"port":9000},"periodSeconds":3},
             "ports":[{"containerPort":80,"futurePortField":7}]}],
           "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
             {"matchExpressions":[{"key":"k","operator":"In","values":["v"],"futureExprField":"x"}]}]}}},
           "tolerations":[{"key":"k","operator":"Exists","futureTolField":1}]},
         "status":{"phase":"Pending","resize":"InProgress","conditions":[{"type":"PodScheduled","status":"False","futureCondField":"y"}]}}
        """;
    Pod pod = Json.read(text, Pod.class);
    Pod modified = pod.withSpec(pod.spec().withNodeName("node-9"))
        .withMetadata(pod.metadata().withLabel("bound", "yes").withResourceVersion("42"));
    JsonNode out = Json.tree(modified);

    assertThat(Json.write(modified)).contains("\"topLevelX\":{\"a\":[1,2.50,\"three\",null,true]}");
    assertThat(out.at("/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl");
    assertThat(out.at("/metadata/selfLink").asText()).isEqualTo("/x");
    assertThat(out.at("/metadata/labels/bound").asText()).isEqualTo("yes");
    assertThat(out.at("/metadata/resourceVersion").asText()).isEqualTo("42");
    assertThat(out.at("/spec/nodeName").asText()).isEqualTo("node-9");
    assertThat(out.at("/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
    assertThat(out.at("/spec/volumes/0/emptyDir").isObject()).isTrue();
    assertThat(out.at("/spec/containers/0/env/0/value").asText()).isEqualTo("1");
    assertThat(out.at("/spec/containers/0/resources/claims/0/name").asText()).isEqualTo("gpu");
    assertThat(out.at("/spec/containers/0/readinessProbe/grpc/port").asInt()).isEqualTo(9000);
    assertThat(out.at("/spec/containers/0/ports/0/futurePortField").asInt()).isEqualTo(7);
    assertThat(out.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/futureExprField").asText()).isEqualTo("x");
    assertThat(out.at("/spec/tolerations/0/futureTolField").asInt()).isEqualTo(1);
    assertThat(out.at("/status/resize").asText()).isEqualTo("InProgress");
    assertThat(out.at("/status/conditions/0/futureCondField").asText()).isEqualTo("y");
    // and the known fields are typed
    assertThat(pod.spec().containers().get(0).resources().requests().get("cpu").milliValue()).isEqualTo(1000);
    assertThat(pod.spec().containers().get(0).readinessProbe().periodSecondsOrDefault()).isEqualTo(3);
  }

  @Test
  void emptyFieldsAreOmittedAndKindIsSet() {
    Pod pod = Pod.of(ObjectMeta.of("default", "p"), PodSpec.of(List.of(Container.of("c", "nginx"))));
    assertThat(Json.write(pod)).isEqualTo(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    Lease lease = new Lease(null, null, ObjectMeta.of("kube-system", "kube-scheduler"), null, null);
    assertThat(Json.write(lease)).startsWith("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\"");
    assertThat(Json.write(new Deployment(null, null, ObjectMeta.of("a", "b"), null, null, null))).contains("\"apps/v1\"");
    assertThat(Json.write(new EndpointSlice(null, null, null, null, null, null, null))).contains("\"discovery.k8s.io/v1\"");
    assertThat(Json.write(new PriorityClass(null, null, null, 1000, null, null, null, null))).contains("\"scheduling.k8s.io/v1\"");
  }

  @Test
  void falseAndZeroAreNotOmittedButEmptyLabelValuesAreKept() {
    String text = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"labels\":{\"role\":\"\"}},\"spec\":{\"replicas\":0,\"paused\":false}}";
    assertThat(Json.write(Json.read(text, Deployment.class))).isEqualTo(text);
  }

  @Test
  void timestampsAreRfc3339SecondsAndMicroTimeHasSixDigits() {
    Instant t = Instant.parse("2024-01-02T03:04:05.123456789Z");
    ObjectMeta meta = ObjectMeta.of("kube-system", "lock").withCreationTimestamp(t);
    LeaseSpec spec = LeaseSpec.of("node-a", 15, t, Instant.parse("2024-01-02T03:04:06Z"), 2);
    Lease lease = new Lease(null, null, meta, spec, null);
    JsonNode tree = Json.tree(lease);
    assertThat(tree.at("/metadata/creationTimestamp").asText()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(tree.at("/spec/acquireTime").asText()).isEqualTo("2024-01-02T03:04:05.123456Z");
    assertThat(tree.at("/spec/renewTime").asText()).isEqualTo("2024-01-02T03:04:06.000000Z");
    Lease back = Json.read(Json.write(lease), Lease.class);
    assertThat(back.spec().acquireTime()).isEqualTo(Instant.parse("2024-01-02T03:04:05.123456Z"));
    // offsets and fractions are accepted on input
    ObjectMeta m = Json.read("{\"creationTimestamp\":\"2024-01-02T05:04:05.5+02:00\"}", ObjectMeta.class);
    assertThat(m.creationTimestamp()).isEqualTo(Instant.parse("2024-01-02T03:04:05.5Z"));
    assertThatThrownBy(() -> Json.read("{\"creationTimestamp\":\"yesterday\"}", ObjectMeta.class))
        .isInstanceOf(CodecException.class).hasMessageContaining("yesterday").hasMessageContaining("creationTimestamp");
  }

  @Test
  void quantitiesAndIntOrStringsAreNormalisedAsKubernetesDoes() {
    String yaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: c
            resources:
              requests: {cpu: 1, memory: 1.5Gi}
              limits: {cpu: 1000m, memory: "1610612736"}
            livenessProbe:
              httpGet: {port: 8080, path: /}
            readinessProbe:
              httpGet: {port: http}
        """;
    Pod pod = Json.read(yaml, Pod.class);
    JsonNode tree = Json.tree(pod);
    assertThat(tree.at("/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("1");
    assertThat(tree.at("/spec/containers/0/resources/requests/memory").asText()).isEqualTo("1536Mi");
    assertThat(tree.at("/spec/containers/0/resources/limits/cpu").asText()).isEqualTo("1");
    assertThat(tree.at("/spec/containers/0/resources/limits/memory").asText()).isEqualTo("1610612736");
    assertThat(tree.at("/spec/containers/0/livenessProbe/httpGet/port").isInt()).isTrue();
    assertThat(tree.at("/spec/containers/0/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThatThrownBy(() -> Json.read("{\"requests\":{\"cpu\":\"1 core\"}}", ResourceRequirements.class))
        .isInstanceOf(CodecException.class).hasMessageContaining("1 core");
  }

  @Test
  void multiDocumentYamlAndListsAreFlattened() {
    String text = fixture("service.yaml") + "\n---\n" + fixture("endpointslice.yaml") + "\n---\n\n---\n"
        + """
        apiVersion: v1
        kind: List
        metadata:
          resourceVersion: ""
        items:
        - apiVersion: v1
          kind: Service
          metadata: {name: a, namespace: default}
          spec: {clusterIP: 10.0.0.1, ports: [{port: 80}]}
        - apiVersion: example.com/v1
          kind: Widget
          metadata: {name: w}
          spec: {size: 3}
        """;
    List<KubeObject> all = Json.readAll(text);
    assertThat(all).extracting(KubeObject::kind).containsExactly("Service", "EndpointSlice", "Service", "Widget");
    assertThat(all.get(3)).isInstanceOf(GenericObject.class);
    assertThat(Json.tree(all.get(3)).at("/spec/size").asInt()).isEqualTo(3);
    List<Service> services = Json.readAll(text, Service.class);
    assertThat(services).extracting(KubeObject::name).containsExactly("web", "a");
    // the same as JSON (kubectl get -o json)
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ServiceList\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":["
        + Json.write(services.get(0)) + "," + Json.write(services.get(1)) + "]}";
    assertThat(Json.readAll(json, Service.class)).isEqualTo(services);
    KubeList<Service> list = Json.readList(json, Service.class);
    assertThat(list.metadata().resourceVersion()).isEqualTo("7");
    assertThat(list.items()).isEqualTo(services);
    assertThat(Json.readObject(json)).isInstanceOf(KubeList.class);
  }

  @Test
  void listEnvelopeWritesContinueToken() {
    KubeList<Pod> list = KubeList.of("v1", "Pod", ListMeta.of("100", "token-1"), List.of());
    assertThat(Json.write(list)).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"100\",\"continue\":\"token-1\"}}");
  }

  @Test
  void watchEventsAndStatus() {
    Pod pod = Pod.of(ObjectMeta.of("default", "p").withResourceVersion("5"), null);
    String line = Json.write(new WatchEvent<>(WatchEvent.ADDED, pod));
    assertThat(line).isEqualTo("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"default\",\"resourceVersion\":\"5\"}}}");
    WatchEvent<Pod> back = Json.readWatchEvent(line.getBytes(StandardCharsets.UTF_8), Pod.class);
    assertThat(back.object()).isEqualTo(pod);

    Status gone = Status.expired("too old resource version: 1 (5)");
    String error = Json.write(new WatchEvent<>(WatchEvent.ERROR, gone));
    assertThat(error).isEqualTo("{\"type\":\"ERROR\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
        + "\"message\":\"too old resource version: 1 (5)\",\"reason\":\"Expired\",\"code\":410}}");
    WatchEvent<ApiObject> any = Json.readWatchEvent(error.getBytes(StandardCharsets.UTF_8), ApiObject.class);
    assertThat(any.object()).isEqualTo(gone);
    assertThatThrownBy(() -> Json.readWatchEvent(error.getBytes(StandardCharsets.UTF_8), Pod.class))
        .isInstanceOf(WatchErrorException.class).hasMessageContaining("410 Expired")
        .satisfies(e -> assertThat(((WatchErrorException) e).status()).isEqualTo(gone));
    WatchEvent<ApiObject> typed = Json.readWatchEvent(line.getBytes(StandardCharsets.UTF_8), ApiObject.class);
    assertThat(typed.object()).isEqualTo(pod);
    String bookmark = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"12\"}}}";
    assertThat(Json.readWatchEvent(bookmark.getBytes(StandardCharsets.UTF_8), Pod.class).object().metadata().resourceVersion()).isEqualTo("12");
    assertThatThrownBy(() -> Json.readWatchEvent("[1]".getBytes(StandardCharsets.UTF_8), Pod.class)).isInstanceOf(CodecException.class);

    Status notFound = Status.notFound("apps", "deployments", "web");
    assertThat(notFound.message()).isEqualTo("deployments.apps \"web\" not found");
    assertThat(Json.write(notFound)).contains("\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"}").contains("\"code\":404");
    assertThat(Status.conflict("", "pods", "p").message())
        .isEqualTo("Operation cannot be fulfilled on pods \"p\": the object has been modified; please apply your changes to the latest version and try again");
    Status invalid = Status.invalid("", "Pod", "p", List.of(StatusCause.of("FieldValueRequired", "Required value", "spec.containers")));
    assertThat(invalid.message()).isEqualTo("Pod \"p\" is invalid: spec.containers: Required value");
    assertThat(invalid.code()).isEqualTo(422);
  }

  @Test
  void badInputIsAClearCodecException() {
    assertThatThrownBy(() -> Json.read("{\"metadata\": ", Pod.class)).isInstanceOf(CodecException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> Json.read("{\"spec\":{\"containers\":\"nope\"}}", Pod.class))
        .isInstanceOf(CodecException.class).hasMessageContaining("containers");
    assertThatThrownBy(() -> Json.readObject("{\"metadata\":{}}")).isInstanceOf(CodecException.class).hasMessageContaining("no kind");
  }

  @Test
  void helpersOnRecords() {
    Map<String, String> labels = Map.of("a", "b");
    ObjectMeta m = ObjectMeta.of("ns", "x").withLabels(labels).withOwnerReferences(List.of(
        new OwnerReference("apps/v1", "ReplicaSet", "rs", "u1", true, true, null)));
    assertThat(m.controllerRef().name()).isEqualTo("rs");
    assertThat(m.labels()).isEqualTo(labels);
    assertThatThrownBy(() -> m.labels().put("c", "d")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(new EndpointConditions(null, null, null, null).readyOrDefault()).isTrue();
    assertThat(new EndpointConditions(false, null, null, null).servingOrDefault()).isFalse();
    assertThat(IntOrString.of("25%").scaledValue(10, true)).isEqualTo(3);
    assertThat(IntOrString.of("25%").scaledValue(10, false)).isEqualTo(2);
    assertThat(IntOrString.of(4).scaledValue(10, false)).isEqualTo(4);
    assertThatThrownBy(() -> IntOrString.of("x").scaledValue(10, true)).hasMessageContaining("\"x\"");
    Service svc = Json.read("{\"kind\":\"Service\",\"apiVersion\":\"v1\",\"spec\":{\"ports\":[{\"port\":80}]}}", Service.class);
    assertThat(svc.spec().typeOrDefault()).isEqualTo("ClusterIP");
    assertThat(svc.spec().sessionAffinityOrDefault()).isEqualTo("None");
    assertThat(svc.spec().externalTrafficPolicyOrDefault()).isEqualTo("Cluster");
    assertThat(svc.spec().ports().get(0).protocolOrDefault()).isEqualTo("TCP");
    assertThat(svc.spec().ports().get(0).withProtocol("UDP").protocolOrDefault()).isEqualTo("UDP");
    assertThat(PodSpec.of(List.of()).schedulerNameOrDefault()).isEqualTo("default-scheduler");
    assertThat(new DeploymentSpec(null, null, null, null, null, null, null, null, null).replicasOrDefault()).isEqualTo(1);
    assertThat(new DeploymentSpec(0, null, null, null, null, null, null, null, null).replicasOrDefault()).isEqualTo(0);
    Taint taint = Taint.of("dedicated", "frontend", "NoSchedule");
    assertThat(new Toleration("dedicated", "Equal", "frontend", "NoSchedule", null, null).tolerates(taint)).isTrue();
    assertThat(new Toleration("dedicated", null, "backend", null, null, null).tolerates(taint)).isFalse();
    assertThat(new Toleration(null, "Exists", null, null, null, null).tolerates(taint)).isTrue();
    assertThat(new Toleration("dedicated", "Exists", null, "NoExecute", null, null).tolerates(taint)).isFalse();
  }
}
