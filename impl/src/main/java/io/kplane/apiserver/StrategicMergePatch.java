package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch for the built-in kinds, as {@code kubectl apply/patch/label} send it:
 * like a JSON merge patch, except that the lists upstream tags with a patch merge key
 * ({@code containers} by name, container {@code ports} by containerPort, service ports by port,
 * {@code env}/{@code volumes} by name, {@code volumeMounts} by mountPath, {@code conditions} by
 * type, …) merge element by element, {@code finalizers} merge as a set, and the directives
 * {@code $patch} (replace/delete/merge), {@code $retainKeys}, {@code $setElementOrder/…} and
 * {@code $deleteFromPrimitiveList/…} are honoured. Other lists are replaced.
 */
final class StrategicMergePatch {
  private StrategicMergePatch() {}

  /** The merge key of a list field, given its name and the name of the list that holds it (or ""). */
  static String mergeKey(String field, String context) {
    return switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets", "resourceClaims" -> "name";
      case "ports" -> context.equals("containers") || context.equals("initContainers") ? "containerPort" : "port";
      case "volumeMounts" -> "mountPath";
      case "volumeDevices" -> "devicePath";
      case "conditions", "addresses" -> "type";
      case "ownerReferences" -> "uid";
      case "hostAliases" -> "ip";
      case "topologySpreadConstraints" -> "topologyKey";
      case "taints" -> "key";
      default -> null;
    };
  }

  /** Primitive lists that merge as sets. */
  private static boolean mergesAsSet(String field) {
    return field.equals("finalizers") || field.equals("podCIDRs");
  }

  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      throw ApiException.badRequest("strategic merge patch must be a JSON object");
    }
    return mergeMap(target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Registry.JSON.createObjectNode(), (ObjectNode) patch, "");
  }

  private static JsonNode mergeMap(ObjectNode target, ObjectNode patch, String context) {
    String directive = patch.path("$patch").asText("");
    if (directive.equals("replace")) {
      ObjectNode copy = patch.deepCopy();
      copy.remove("$patch");
      return stripDirectives(copy);
    }
    if (directive.equals("delete")) {
      return null;
    }
    if (patch.has("$retainKeys")) {
      Set<String> keep = new HashSet<>();
      patch.get("$retainKeys").forEach(k -> keep.add(k.asText()));
      target.retain(keep);
    }
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("$patch") || key.equals("$retainKeys") || key.startsWith("$setElementOrder/")) {
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        if (target.get(field) instanceof ArrayNode list) {
          Set<JsonNode> drop = new HashSet<>();
          value.forEach(drop::add);
          ArrayNode kept = list.arrayNode();
          list.forEach(v -> {
            if (!drop.contains(v)) {
              kept.add(v);
            }
          });
          target.set(field, kept);
        }
        continue;
      }
      if (value.isNull()) {
        target.remove(key);
        continue;
      }
      JsonNode current = target.get(key);
      if (value.isObject()) {
        ObjectNode base = current instanceof ObjectNode o ? o : target.objectNode();
        JsonNode merged = mergeMap(base, (ObjectNode) value, key);
        if (merged == null) {
          target.remove(key);
        } else {
          target.set(key, merged);
        }
      } else if (value.isArray()) {
        target.set(key, mergeList(key, context, current instanceof ArrayNode a ? a : null, (ArrayNode) value));
      } else {
        target.set(key, value.deepCopy());
      }
    }
    return target;
  }

  private static JsonNode mergeList(String field, String context, ArrayNode current, ArrayNode patch) {
    String key = mergeKey(field, context);
    if (mergesAsSet(field)) {
      ArrayNode out = current == null ? patch.arrayNode() : current.deepCopy();
      Set<JsonNode> have = new HashSet<>();
      out.forEach(have::add);
      patch.forEach(v -> {
        if (have.add(v)) {
          out.add(v);
        }
      });
      return out;
    }
    if (key == null || current == null) {
      if (key != null) {
        // no current list: drop delete directives, keep the elements
        ArrayNode out = patch.arrayNode();
        for (JsonNode el : patch) {
          if (el.isObject() && el.path("$patch").asText("").equals("delete")) {
            continue;
          }
          out.add(el.isObject() ? stripDirectives(((ObjectNode) el).deepCopy()) : el);
        }
        return out;
      }
      return stripDirectives(patch.deepCopy());
    }
    for (JsonNode el : patch) {
      if (el.isObject() && el.path("$patch").asText("").equals("replace")) {
        ArrayNode out = patch.arrayNode();
        for (JsonNode other : patch) {
          if (!(other.isObject() && other.has("$patch"))) {
            out.add(other);
          }
        }
        return out;
      }
    }
    List<JsonNode> out = new ArrayList<>();
    current.forEach(out::add);
    for (JsonNode el : patch) {
      if (!el.isObject()) {
        out.add(el);
        continue;
      }
      JsonNode id = el.get(key);
      int at = -1;
      for (int i = 0; i < out.size(); i++) {
        if (id != null && id.equals(out.get(i).get(key))) {
          at = i;
          break;
        }
      }
      boolean delete = el.path("$patch").asText("").equals("delete");
      if (delete) {
        if (at >= 0) {
          out.remove(at);
        }
      } else if (at >= 0) {
        JsonNode merged = mergeMap(((ObjectNode) out.get(at)).deepCopy(), (ObjectNode) el, field);
        if (merged == null) {
          out.remove(at);
        } else {
          out.set(at, merged);
        }
      } else {
        out.add(stripDirectives(((ObjectNode) el).deepCopy()));
      }
    }
    ArrayNode result = patch.arrayNode();
    out.forEach(result::add);
    return result;
  }

  private static JsonNode stripDirectives(JsonNode n) {
    if (n instanceof ObjectNode o) {
      List<String> drop = new ArrayList<>();
      o.fieldNames().forEachRemaining(f -> {
        if (f.startsWith("$")) {
          drop.add(f);
        }
      });
      o.remove(drop);
      o.forEach(StrategicMergePatch::stripDirectives);
    } else if (n instanceof ArrayNode a) {
      a.forEach(StrategicMergePatch::stripDirectives);
    }
    return n;
  }
}
