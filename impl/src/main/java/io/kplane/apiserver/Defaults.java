package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Defaulting of the fields controllers, schedulers and kubectl rely on, with upstream's values
 * (pkg/apis/core/v1/defaults.go, apps/v1/defaults.go): a pod's restartPolicy, dnsPolicy,
 * schedulerName, terminationGracePeriodSeconds, imagePullPolicy, port protocols; a deployment's
 * replicas, strategy, revisionHistoryLimit, progressDeadlineSeconds; a service's type,
 * sessionAffinity, targetPort. (A service's ipFamilies and ipFamilyPolicy depend on the server's
 * service CIDRs: {@link ServiceAllocator} defaults them.)
 */
final class Defaults {
  private Defaults() {}

  static void apply(ResourceType type, ObjectNode o) {
    switch (type.kind()) {
      case "Pod" -> podSpec(obj(o, "spec"));
      case "Deployment" -> {
        ObjectNode spec = obj(o, "spec");
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = obj(spec, "strategy");
        if (!strategy.has("type")) {
          strategy.put("type", "RollingUpdate");
        }
        if (strategy.path("type").asText().equals("RollingUpdate")) {
          ObjectNode ru = obj(strategy, "rollingUpdate");
          if (!ru.has("maxUnavailable")) {
            ru.put("maxUnavailable", "25%");
          }
          if (!ru.has("maxSurge")) {
            ru.put("maxSurge", "25%");
          }
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        template(spec);
      }
      case "ReplicaSet" -> {
        ObjectNode spec = obj(o, "spec");
        putIfAbsent(spec, "replicas", 1);
        template(spec);
      }
      case "Service" -> {
        ObjectNode spec = obj(o, "spec");
        if (!spec.has("type")) {
          spec.put("type", "ClusterIP");
        }
        if (!spec.has("sessionAffinity")) {
          spec.put("sessionAffinity", "None");
        }
        if (!spec.path("type").asText().equals("ExternalName")) {
          if (!spec.has("internalTrafficPolicy")) {
            spec.put("internalTrafficPolicy", "Cluster");
          }
        }
        String t = spec.path("type").asText();
        if ((t.equals("NodePort") || t.equals("LoadBalancer")) && !spec.has("externalTrafficPolicy")) {
          spec.put("externalTrafficPolicy", "Cluster");
        }
        for (JsonNode p : spec.path("ports")) {
          if (p instanceof ObjectNode port) {
            if (!port.has("protocol")) {
              port.put("protocol", "TCP");
            }
            if (!port.has("targetPort") && port.has("port")) {
              port.set("targetPort", port.get("port"));
            }
          }
        }
      }
      case "Namespace" -> {
        ObjectNode labels = obj(obj(o, "metadata"), "labels");
        labels.put("kubernetes.io/metadata.name", o.path("metadata").path("name").asText());
        ObjectNode status = obj(o, "status");
        if (!status.has("phase")) {
          status.put("phase", "Active");
        }
      }
      case "PriorityClass" -> {
        if (!o.has("preemptionPolicy")) {
          o.put("preemptionPolicy", "PreemptLowerPriority");
        }
      }
      case "EndpointSlice" -> {
        for (JsonNode p : o.path("ports")) {
          if (p instanceof ObjectNode port && !port.has("protocol")) {
            port.put("protocol", "TCP");
          }
        }
      }
      default -> {
      }
    }
  }

  private static void template(ObjectNode spec) {
    if (spec.path("template") instanceof ObjectNode t) {
      podSpec(obj(t, "spec"));
    }
  }

  static void podSpec(ObjectNode spec) {
    if (!spec.has("restartPolicy")) {
      spec.put("restartPolicy", "Always");
    }
    if (!spec.has("dnsPolicy")) {
      spec.put("dnsPolicy", "ClusterFirst");
    }
    if (!spec.has("schedulerName")) {
      spec.put("schedulerName", "default-scheduler");
    }
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    if (!spec.has("enableServiceLinks")) {
      spec.put("enableServiceLinks", true);
    }
    containers(spec.path("containers"));
    containers(spec.path("initContainers"));
    if (spec.path("tolerations") instanceof ArrayNode) {
      for (JsonNode t : spec.path("tolerations")) {
        if (t instanceof ObjectNode tol && tol.has("key") && !tol.has("operator")) {
          tol.put("operator", "Equal");
        }
      }
    }
  }

  private static void containers(JsonNode list) {
    for (JsonNode c : list) {
      if (!(c instanceof ObjectNode container)) {
        continue;
      }
      if (!container.has("imagePullPolicy")) {
        String image = container.path("image").asText("");
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        boolean latest = !image.contains("@") && (!lastPart.contains(":") || lastPart.endsWith(":latest"));
        container.put("imagePullPolicy", latest ? "Always" : "IfNotPresent");
      }
      if (!container.has("terminationMessagePath")) {
        container.put("terminationMessagePath", "/dev/termination-log");
      }
      if (!container.has("terminationMessagePolicy")) {
        container.put("terminationMessagePolicy", "File");
      }
      if (!container.has("resources")) {
        container.putObject("resources");
      }
      for (JsonNode p : container.path("ports")) {
        if (p instanceof ObjectNode port && !port.has("protocol")) {
          port.put("protocol", "TCP");
        }
      }
    }
  }

  static ObjectNode obj(ObjectNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  private static void putIfAbsent(ObjectNode o, String field, int value) {
    if (!o.has(field) || o.get(field).isNull()) {
      o.put(field, value);
    }
  }
}
