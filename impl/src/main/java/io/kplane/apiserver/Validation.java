package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.LabelSelector;
import io.kplane.model.Selector;
import io.kplane.model.Status;
import io.kplane.model.StatusCause;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation of created and updated objects with upstream's rules and messages: DNS-1123 names,
 * label syntax, the required fields of each kind, and fields that may not change. A failure is a
 * 422 Invalid {@link Status} with one cause per field error.
 */
final class Validation {
  private Validation() {}

  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private static final class Errors {
    final List<StatusCause> causes = new ArrayList<>();

    void add(String reason, String field, String message) {
      causes.add(new StatusCause(reason, message, field, null));
    }

    void required(String field) {
      add("FieldValueRequired", field, "Required value");
    }

    void invalid(String field, Object value, String detail) {
      add("FieldValueInvalid", field, "Invalid value: " + quote(value) + ": " + detail);
    }

    void immutable(String field, Object value) {
      add("FieldValueInvalid", field, "Invalid value: " + quote(value) + ": field is immutable");
    }

    void forbidden(String field, String detail) {
      add("FieldValueForbidden", field, "Forbidden: " + detail);
    }
  }

  private static String quote(Object v) {
    if (v instanceof JsonNode n) {
      return n.isTextual() ? "\"" + n.asText() + "\"" : n.toString();
    }
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }

  /** Validates an object about to be created (old == null) or to replace {@code old}. */
  static void validate(ResourceType type, ObjectNode o, ObjectNode old) {
    Errors e = new Errors();
    JsonNode meta = o.path("metadata");
    String name = meta.path("name").asText("");
    if (old == null) {
      if (name.isEmpty()) {
        e.required("metadata.name");
      } else {
        switch (type.resource()) {
          case "namespaces" -> dnsLabel(e, "metadata.name", name);
          case "services" -> {
            if (!DNS1035_LABEL.matcher(name).matches() || name.length() > 63) {
              e.invalid("metadata.name", name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                  + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                  + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
            }
          }
          default -> subdomain(e, "metadata.name", name);
        }
      }
    }
    labels(e, "metadata.labels", meta.path("labels"));
    switch (type.kind()) {
      case "Pod" -> podSpec(e, "spec", o.path("spec"));
      case "Deployment", "ReplicaSet" -> workload(e, o);
      case "Service" -> service(e, o);
      case "PriorityClass" -> {
        if (!o.path("value").isIntegralNumber()) {
          e.required("value");
        }
      }
      case "PodDisruptionBudget" -> disruptionBudget(e, o.path("spec"));
      case "EndpointSlice" -> {
        if (o.path("addressType").asText("").isEmpty()) {
          e.required("addressType");
        }
      }
      default -> {
      }
    }
    if (old != null) {
      immutable(e, type, o, old);
    }
    if (!e.causes.isEmpty()) {
      throw new ApiException(Status.invalid(type.group(), type.kind(), name, e.causes));
    }
  }

  private static void dnsLabel(Errors e, String field, String v) {
    if (!DNS1123_LABEL.matcher(v).matches() || v.length() > 63) {
      e.invalid(field, v, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
          + "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
          + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }
  }

  private static void subdomain(Errors e, String field, String v) {
    if (!DNS1123_SUBDOMAIN.matcher(v).matches() || v.length() > 253) {
      e.invalid(field, v, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
          + "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
          + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
  }

  private static void labels(Errors e, String field, JsonNode labels) {
    Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> l = it.next();
      String key = l.getKey();
      String namePart = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
      String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
      if (!QUALIFIED_NAME.matcher(namePart).matches() || namePart.length() > 63
          || prefix != null && (!DNS1123_SUBDOMAIN.matcher(prefix).matches() || prefix.length() > 253)) {
        e.invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
      }
      String value = l.getValue().asText("");
      if (!LABEL_VALUE.matcher(value).matches() || value.length() > 63) {
        e.invalid(field, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
            + "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
      }
    }
  }

  private static void podSpec(Errors e, String field, JsonNode spec) {
    JsonNode containers = spec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      e.required(field + ".containers");
      return;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode c = containers.get(i);
      String at = field + ".containers[" + i + "]";
      String name = c.path("name").asText("");
      if (name.isEmpty()) {
        e.required(at + ".name");
      } else {
        dnsLabel(e, at + ".name", name);
        if (!names.add(name)) {
          e.add("FieldValueDuplicate", at + ".name", "Duplicate value: \"" + name + "\"");
        }
      }
      if (c.path("image").asText("").isBlank()) {
        e.required(at + ".image");
      }
      JsonNode ports = c.path("ports");
      for (int p = 0; p < ports.size(); p++) {
        int port = ports.get(p).path("containerPort").asInt(0);
        if (port < 1 || port > 65535) {
          e.invalid(at + ".ports[" + p + "].containerPort", ports.get(p).path("containerPort"), "must be between 1 and 65535, inclusive");
        }
      }
    }
    String restart = spec.path("restartPolicy").asText("Always");
    if (!List.of("Always", "OnFailure", "Never").contains(restart)) {
      e.add("FieldValueNotSupported", field + ".restartPolicy",
          "Unsupported value: \"" + restart + "\": supported values: \"Always\", \"OnFailure\", \"Never\"");
    }
  }

  private static void workload(Errors e, ObjectNode o) {
    JsonNode spec = o.path("spec");
    JsonNode selector = spec.path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      e.required("spec.selector");
    } else {
      Selector s;
      try {
        s = Selector.of(io.kplane.model.Json.convert(selector, LabelSelector.class));
        Map<String, String> labels = new java.util.HashMap<>();
        spec.path("template").path("metadata").path("labels").fields()
            .forEachRemaining(en -> labels.put(en.getKey(), en.getValue().asText()));
        if (s.isEverything()) {
          e.invalid("spec.selector", selector, "empty selector is invalid for deployment");
        } else if (!s.matches(labels)) {
          e.invalid("spec.template.metadata.labels", spec.path("template").path("metadata").path("labels"),
              "`selector` does not match template `labels`");
        }
      } catch (RuntimeException bad) {
        e.invalid("spec.selector", selector, bad.getMessage());
      }
    }
    if (spec.has("replicas") && spec.path("replicas").asInt(0) < 0) {
      e.invalid("spec.replicas", spec.path("replicas"), "must be greater than or equal to 0");
    }
    labels(e, "spec.template.metadata.labels", spec.path("template").path("metadata").path("labels"));
    podSpec(e, "spec.template.spec", spec.path("template").path("spec"));
  }

  /** policy/v1: at most one of minAvailable/maxUnavailable, each a non-negative integer or a percentage. */
  private static void disruptionBudget(Errors e, JsonNode spec) {
    if (spec.has("minAvailable") && spec.has("maxUnavailable")) {
      e.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set");
    }
    for (String f : List.of("minAvailable", "maxUnavailable")) {
      JsonNode v = spec.path(f);
      if (v.isMissingNode() || v.isNull()) {
        continue;
      }
      if (v.isIntegralNumber()) {
        if (v.asLong() < 0) {
          e.invalid("spec." + f, v, "must be greater than or equal to 0");
        }
      } else if (!v.isTextual() || !v.asText().matches("[0-9]+%") || Integer.parseInt(v.asText().replace("%", "")) > 100) {
        e.invalid("spec." + f, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', "
            + "regex used for validation is '[0-9]+%') and must be between 0% and 100%");
      }
    }
    JsonNode selector = spec.path("selector");
    if (selector.isObject()) {
      try {
        Selector.of(io.kplane.model.Json.convert(selector, LabelSelector.class));
      } catch (RuntimeException bad) {
        e.invalid("spec.selector", selector, bad.getMessage());
      }
    }
  }

  private static void service(Errors e, ObjectNode o) {
    JsonNode spec = o.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    if (!List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").contains(type)) {
      e.add("FieldValueNotSupported", "spec.type", "Unsupported value: \"" + type
          + "\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
    }
    JsonNode ports = spec.path("ports");
    if (!type.equals("ExternalName") && !"None".equals(spec.path("clusterIP").asText()) && ports.isEmpty()) {
      e.required("spec.ports");
    }
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i).path("port").asInt(0);
      if (port < 1 || port > 65535) {
        e.invalid("spec.ports[" + i + "].port", ports.get(i).path("port"), "must be between 1 and 65535, inclusive");
      }
      if (ports.size() > 1 && ports.get(i).path("name").asText("").isEmpty()) {
        e.required("spec.ports[" + i + "].name");
      }
    }
  }

  private static void immutable(Errors e, ResourceType type, ObjectNode o, ObjectNode old) {
    switch (type.kind()) {
      case "Deployment", "ReplicaSet" -> {
        if (!o.path("spec").path("selector").equals(old.path("spec").path("selector"))) {
          e.immutable("spec.selector", o.path("spec").path("selector"));
        }
      }
      case "Service" -> {
        JsonNode oldIp = old.path("spec").path("clusterIP");
        JsonNode newIp = o.path("spec").path("clusterIP");
        if (!oldIp.isMissingNode() && !newIp.isMissingNode() && !oldIp.equals(newIp)) {
          e.immutable("spec.clusterIP", newIp);
        }
      }
      case "Pod" -> {
        String oldNode = old.path("spec").path("nodeName").asText("");
        String newNode = o.path("spec").path("nodeName").asText("");
        if (!oldNode.equals(newNode)) {
          e.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,"
              + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
              + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        } else if (!withoutMutable(o.path("spec")).equals(withoutMutable(old.path("spec")))) {
          e.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,"
              + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
              + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        }
      }
      default -> {
      }
    }
  }

  /** A pod spec without the fields an update may change. */
  private static JsonNode withoutMutable(JsonNode spec) {
    if (!(spec instanceof ObjectNode s)) {
      return spec;
    }
    ObjectNode copy = s.deepCopy();
    copy.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "schedulingGates"));
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : copy.path(list)) {
        if (c instanceof ObjectNode co) {
          co.remove("image");
        }
      }
    }
    return copy;
  }
}
