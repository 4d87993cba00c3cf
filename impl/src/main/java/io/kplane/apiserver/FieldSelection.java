package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kplane.model.FieldSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields each resource lets clients select on ({@code fieldSelector=spec.nodeName=n1}), read
 * from the object's JSON the way the API server's field sets do: a missing field reads as "".
 */
final class FieldSelection {
  private FieldSelection() {}

  private static final Map<String, List<String>> EXTRA = Map.of(
      "pods", List.of("spec.nodeName", "spec.schedulerName", "spec.restartPolicy", "spec.hostNetwork", "spec.serviceAccountName",
          "status.phase", "status.podIP", "status.nominatedNodeName"),
      "nodes", List.of("spec.unschedulable"),
      "namespaces", List.of("status.phase"),
      "events", List.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
          "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "type", "source",
          "reportingComponent"),
      "replicasets", List.of("status.replicas"));

  /** Parses and checks the selector against the resource's selectable fields (400 otherwise). */
  static FieldSelector parse(ResourceType type, String text) {
    if (text == null || text.isEmpty()) {
      return FieldSelector.everything();
    }
    FieldSelector s;
    try {
      s = FieldSelector.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Set<String> ok = new java.util.HashSet<>(List.of("metadata.name", "metadata.namespace"));
    ok.addAll(EXTRA.getOrDefault(type.resource(), List.of()));
    for (FieldSelector.Term t : s.terms()) {
      if (!ok.contains(t.field())) {
        throw ApiException.badRequest("field label not supported: " + t.field());
      }
    }
    return s;
  }

  static Map<String, String> fields(ResourceType type, JsonNode object) {
    Map<String, String> f = new HashMap<>();
    f.put("metadata.name", object.path("metadata").path("name").asText(""));
    f.put("metadata.namespace", object.path("metadata").path("namespace").asText(""));
    for (String field : EXTRA.getOrDefault(type.resource(), List.of())) {
      JsonNode n = object;
      String path = field.equals("source") ? "source.component" : field;
      for (String part : path.split("\\.")) {
        n = n.path(part);
      }
      String v = n.isMissingNode() || n.isNull() ? "" : n.asText();
      if (field.equals("spec.hostNetwork") || field.equals("spec.unschedulable")) {
        v = String.valueOf(n.asBoolean(false));
      }
      f.put(field, v);
    }
    return f;
  }
}
