package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing ({@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}): the
 * columns {@code kubectl get} shows for each kind, with upstream's names and priorities (priority
 * 1 columns appear with {@code -o wide}) and upstream's human-readable ages.
 */
final class Tables {
  private Tables() {}

  record Column(String name, String type, String format, int priority, Function<JsonNode, Object> cell) {
  }

  private static Column col(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", 0, cell);
  }

  private static Column wide(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", 1, cell);
  }

  private static Column name() {
    return new Column("Name", "string", "name", 0, o -> o.path("metadata").path("name").asText());
  }

  static List<Column> columns(ResourceType t, Instant now) {
    Column age = col("Age", o -> age(o.path("metadata").path("creationTimestamp"), now));
    return switch (t.kind()) {
      case "Pod" -> List.of(name(),
          col("Ready", o -> ready(o) + "/" + o.path("spec").path("containers").size()),
          col("Status", Tables::podStatus),
          new Column("Restarts", "string", "", 0, Tables::restarts), age,
          wide("IP", o -> orNone(o.path("status").path("podIP").asText(""))),
          wide("Node", o -> orNone(o.path("spec").path("nodeName").asText(""))),
          wide("Nominated Node", o -> orNone(o.path("status").path("nominatedNodeName").asText(""))),
          wide("Readiness Gates", o -> o.path("spec").path("readinessGates").isEmpty() ? "<none>" : String.valueOf(o.path("spec").path("readinessGates").size())));
      case "Deployment" -> List.of(name(),
          col("Ready", o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(0)),
          new Column("Up-to-date", "integer", "", 0, o -> o.path("status").path("updatedReplicas").asInt(0)),
          new Column("Available", "integer", "", 0, o -> o.path("status").path("availableReplicas").asInt(0)), age,
          wide("Containers", o -> containers(o, "name")), wide("Images", o -> containers(o, "image")),
          wide("Selector", o -> selector(o.path("spec").path("selector"))));
      case "ReplicaSet" -> List.of(name(),
          new Column("Desired", "integer", "", 0, o -> o.path("spec").path("replicas").asInt(0)),
          new Column("Current", "integer", "", 0, o -> o.path("status").path("replicas").asInt(0)),
          new Column("Ready", "integer", "", 0, o -> o.path("status").path("readyReplicas").asInt(0)), age,
          wide("Containers", o -> containers(o, "name")), wide("Images", o -> containers(o, "image")),
          wide("Selector", o -> selector(o.path("spec").path("selector"))));
      case "Service" -> List.of(name(),
          col("Type", o -> o.path("spec").path("type").asText("ClusterIP")),
          col("Cluster-IP", o -> orNone(o.path("spec").path("clusterIP").asText(""))),
          col("External-IP", Tables::externalIp),
          col("Port(s)", Tables::servicePorts), age,
          wide("Selector", o -> mapString(o.path("spec").path("selector"))));
      case "Node" -> List.of(name(),
          col("Status", Tables::nodeStatus),
          col("Roles", Tables::roles), age,
          col("Version", o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")),
          wide("Internal-IP", o -> address(o, "InternalIP")), wide("External-IP", o -> address(o, "ExternalIP")),
          wide("OS-Image", o -> orUnknown(o.path("status").path("nodeInfo").path("osImage").asText(""))),
          wide("Kernel-Version", o -> orUnknown(o.path("status").path("nodeInfo").path("kernelVersion").asText(""))),
          wide("Container-Runtime", o -> orUnknown(o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText(""))));
      case "Namespace" -> List.of(name(), col("Status", o -> o.path("status").path("phase").asText("")), age);
      case "Endpoints" -> List.of(name(), col("Endpoints", Tables::endpoints), age);
      case "EndpointSlice" -> List.of(name(), col("AddressType", o -> o.path("addressType").asText("")),
          col("Ports", o -> {
            List<String> ps = new ArrayList<>();
            o.path("ports").forEach(p -> ps.add(p.path("port").asText("")));
            return ps.isEmpty() ? "<unset>" : String.join(",", ps);
          }),
          col("Endpoints", o -> {
            List<String> as = new ArrayList<>();
            o.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> as.add(a.asText())));
            return as.isEmpty() ? "<unset>" : limited(as);
          }), age);
      case "Event" -> List.of(
          col("Last Seen", o -> age(o.path("lastTimestamp").isMissingNode() || o.path("lastTimestamp").isNull()
              ? o.path("eventTime").isMissingNode() ? o.path("metadata").path("creationTimestamp") : o.path("eventTime")
              : o.path("lastTimestamp"), now)),
          col("Type", o -> o.path("type").asText("")), col("Reason", o -> o.path("reason").asText("")),
          col("Object", o -> o.path("involvedObject").path("kind").asText("").toLowerCase() + "/" + o.path("involvedObject").path("name").asText("")),
          col("Message", o -> o.path("message").asText("")));
      case "PodDisruptionBudget" -> List.of(name(),
          col("Min Available", o -> o.path("spec").has("minAvailable") ? o.path("spec").path("minAvailable").asText() : "N/A"),
          col("Max Unavailable", o -> o.path("spec").has("maxUnavailable") ? o.path("spec").path("maxUnavailable").asText() : "N/A"),
          new Column("Allowed Disruptions", "integer", "", 0, o -> o.path("status").path("disruptionsAllowed").asLong(0)), age);
      case "Lease" -> List.of(name(), col("Holder", o -> o.path("spec").path("holderIdentity").asText("")), age);
      case "PriorityClass" -> List.of(name(), new Column("Value", "integer", "", 0, o -> o.path("value").asLong(0)),
          new Column("Global-Default", "boolean", "", 0, o -> o.path("globalDefault").asBoolean(false)), age,
          wide("PreemptionPolicy", o -> o.path("preemptionPolicy").asText("")));
      default -> List.of(name(), age);
    };
  }

  /** A Table of the objects; {@code includeObject} is None, Object or Metadata (default). */
  static ObjectNode table(ResourceType t, List<ObjectNode> items, String resourceVersion, String continueToken, String includeObject,
                          Instant now) {
    List<Column> cols = columns(t, now);
    ObjectNode table = Registry.JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null) {
      meta.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    ArrayNode defs = table.putArray("columnDefinitions");
    for (Column c : cols) {
      ObjectNode d = defs.addObject();
      d.put("name", c.name());
      d.put("type", c.type());
      d.put("format", c.format());
      d.put("description", c.name());
      d.put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode o : items) {
      rows.add(row(cols, o, includeObject));
    }
    return table;
  }

  static ObjectNode row(List<Column> cols, ObjectNode o, String includeObject) {
    ObjectNode row = Registry.JSON.createObjectNode();
    ArrayNode cells = row.putArray("cells");
    for (Column c : cols) {
      Object v;
      try {
        v = c.cell().apply(o);
      } catch (RuntimeException e) {
        v = "<error>";
      }
      if (v instanceof Integer i) {
        cells.add(i);
      } else if (v instanceof Long l) {
        cells.add(l);
      } else if (v instanceof Boolean b) {
        cells.add(b);
      } else {
        cells.add(String.valueOf(v));
      }
    }
    if ("Object".equals(includeObject)) {
      row.set("object", o);
    } else if (!"None".equals(includeObject)) {
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata"));
    }
    return row;
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }

  private static int ready(JsonNode pod) {
    int n = 0;
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      if (cs.path("ready").asBoolean(false)) {
        n++;
      }
    }
    return n;
  }

  private static int restarts(JsonNode pod) {
    int n = 0;
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      n += cs.path("restartCount").asInt(0);
    }
    return n;
  }

  private static String podStatus(JsonNode pod) {
    String reason = pod.path("status").path("reason").asText(pod.path("status").path("phase").asText("Unknown"));
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      String waiting = cs.path("state").path("waiting").path("reason").asText("");
      String terminated = cs.path("state").path("terminated").path("reason").asText("");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (!terminated.isEmpty()) {
        reason = terminated;
      }
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      reason = "Terminating";
    }
    return reason;
  }

  private static String containers(JsonNode o, String field) {
    List<String> out = new ArrayList<>();
    o.path("spec").path("template").path("spec").path("containers").forEach(c -> out.add(c.path(field).asText()));
    return String.join(",", out);
  }

  static String selector(JsonNode sel) {
    if (!sel.isObject()) {
      return "<none>";
    }
    try {
      String s = io.kplane.model.Selector.of(io.kplane.model.Json.convert(sel, io.kplane.model.LabelSelector.class)).toString();
      return s.isEmpty() ? "<none>" : s;
    } catch (RuntimeException e) {
      return "<error>";
    }
  }

  private static String mapString(JsonNode m) {
    if (!m.isObject() || m.isEmpty()) {
      return "<none>";
    }
    List<String> out = new ArrayList<>();
    m.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    java.util.Collections.sort(out);
    return String.join(",", out);
  }

  private static String externalIp(JsonNode svc) {
    String type = svc.path("spec").path("type").asText("ClusterIP");
    List<String> ips = new ArrayList<>();
    svc.path("spec").path("externalIPs").forEach(i -> ips.add(i.asText()));
    if (type.equals("ExternalName")) {
      return svc.path("spec").path("externalName").asText("");
    }
    if (type.equals("LoadBalancer")) {
      svc.path("status").path("loadBalancer").path("ingress").forEach(i -> ips.add(i.path("ip").asText(i.path("hostname").asText())));
      return ips.isEmpty() ? "<pending>" : String.join(",", ips);
    }
    return ips.isEmpty() ? "<none>" : String.join(",", ips);
  }

  private static String servicePorts(JsonNode svc) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : svc.path("spec").path("ports")) {
      String s = p.path("port").asText() + (p.has("nodePort") ? ":" + p.path("nodePort").asText() : "") + "/" + p.path("protocol").asText("TCP");
      out.add(s);
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String nodeStatus(JsonNode node) {
    String status = "Unknown";
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        status = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
      }
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status += ",SchedulingDisabled";
    }
    return status;
  }

  private static String roles(JsonNode node) {
    List<String> roles = new ArrayList<>();
    node.path("metadata").path("labels").fieldNames().forEachRemaining(k -> {
      if (k.startsWith("node-role.kubernetes.io/")) {
        roles.add(k.substring("node-role.kubernetes.io/".length()));
      }
    });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String endpoints(JsonNode ep) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : ep.path("subsets")) {
      for (JsonNode a : s.path("addresses")) {
        if (s.path("ports").isEmpty()) {
          out.add(a.path("ip").asText());
        }
        for (JsonNode p : s.path("ports")) {
          out.add(a.path("ip").asText() + ":" + p.path("port").asText());
        }
      }
    }
    return out.isEmpty() ? "<none>" : limited(out);
  }

  private static String limited(List<String> l) {
    return l.size() <= 3 ? String.join(",", l) : String.join(",", l.subList(0, 3)) + " + " + (l.size() - 3) + " more...";
  }

  static String age(JsonNode ts, Instant now) {
    if (ts.isMissingNode() || ts.isNull() || ts.asText().isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(OffsetDateTime.parse(ts.asText()).toInstant(), now));
    } catch (RuntimeException e) {
      return "<invalid>";
    }
  }

  /** Upstream's duration.HumanDuration. */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
