package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import io.kplane.model.StatusCause;
import io.kplane.model.StatusDetails;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply ({@code PATCH application/apply-patch+yaml}): the applied configuration is
 * merged into the live object and its fields become owned by the {@code fieldManager}, recorded in
 * {@code metadata.managedFields} (operation Apply, FieldsV1 sets: {@code f:field},
 * {@code k:{"name":"x"}} for list items with a merge key, {@code "."} for an item itself).
 * <ul>
 *   <li>A field the manager applied before and no longer applies is removed, unless another
 *       manager owns it too.</li>
 *   <li>A field another applier owns with a different value is a conflict: 409 Conflict with one
 *       {@code FieldManagerConflict} cause per field, unless {@code force=true}, which takes the
 *       field over.</li>
 *   <li>An object that does not exist is created from the configuration.</li>
 * </ul>
 * Simplified against upstream: only Apply operations are tracked (writes through PUT and the other
 * PATCH types do not record Update managers, so they never conflict with an apply); lists without
 * a merge key and primitive sets are owned as a whole.
 */
final class ServerSideApply {
  private ServerSideApply() {
  }

  /** Fields never owned: identity and server-set metadata, and status (applied through /status only). */
  private static final Set<String> UNOWNED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion", "generation",
      "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");

  /** The object after applying {@code config} as {@code manager} to {@code live} (null: a create). */
  static ObjectNode apply(ResourceType t, ObjectNode live, ObjectNode config, String manager, boolean force, Instant now) {
    Set<String> applied = fieldSet(config);
    Map<String, Set<String>> owners = new LinkedHashMap<>();
    Map<String, ObjectNode> entries = new LinkedHashMap<>();
    if (live != null) {
      for (JsonNode e : live.path("metadata").path("managedFields")) {
        String m = e.path("manager").asText();
        Set<String> set = new LinkedHashSet<>();
        flatten(e.path("fieldsV1"), "", set);
        owners.put(m, set);
        entries.put(m, (ObjectNode) e.deepCopy());
      }
    }
    Set<String> previous = owners.getOrDefault(manager, Set.of());
    List<String[]> conflicts = new ArrayList<>();
    if (live != null) {
      for (Map.Entry<String, Set<String>> o : owners.entrySet()) {
        if (o.getKey().equals(manager)) {
          continue;
        }
        for (String p : applied) {
          // a list item's "." is its existence, which both sides want: never a conflict
          if (o.getValue().contains(p) && !p.endsWith("\t.") && !valueAt(live, p).equals(valueAt(config, p))) {
            conflicts.add(new String[] {o.getKey(), p});
          }
        }
      }
    }
    if (!conflicts.isEmpty() && !force) {
      List<StatusCause> causes = new ArrayList<>();
      for (String[] c : conflicts) {
        causes.add(new StatusCause("FieldManagerConflict", "conflict with \"" + c[0] + "\" using " + t.apiVersion(), dotted(c[1]), null));
      }
      String name = config.path("metadata").path("name").asText();
      StringBuilder msg = new StringBuilder("Apply failed with " + conflicts.size() + " conflict" + (conflicts.size() == 1 ? "" : "s") + ":");
      for (String[] c : conflicts) {
        msg.append(" conflict with \"").append(c[0]).append("\" using ").append(t.apiVersion()).append(": ").append(dotted(c[1]));
      }
      throw new ApiException(Status.failure(409, "Conflict", msg.toString(),
          new StatusDetails(name, t.group(), t.resource(), null, causes, null, null)));
    }
    for (String[] c : conflicts) {
      owners.get(c[0]).remove(c[1]); // force: the field changes hands
    }
    ObjectNode base = live == null ? Registry.JSON.createObjectNode() : live.deepCopy();
    for (String p : previous) {
      if (!applied.contains(p) && owners.entrySet().stream().noneMatch(o -> !o.getKey().equals(manager) && o.getValue().contains(p))) {
        remove(base, p);
      }
    }
    ObjectNode patch = config.deepCopy();
    if (patch.get("metadata") instanceof ObjectNode pm) {
      pm.remove("managedFields");
    }
    patch.remove("status");
    ObjectNode merged = (ObjectNode) StrategicMergePatch.apply(base, patch);
    if (live != null && conflicts.isEmpty() && previous.equals(applied) && withoutManagedFields(merged).equals(withoutManagedFields(live))) {
      return live.deepCopy(); // applying the same configuration again changes nothing (no write, same resourceVersion)
    }
    owners.put(manager, applied);
    ArrayNode managed = Registry.JSON.createArrayNode();
    for (Map.Entry<String, Set<String>> o : owners.entrySet()) {
      if (o.getValue().isEmpty()) {
        continue;
      }
      ObjectNode e = o.getKey().equals(manager) || !entries.containsKey(o.getKey()) ? Registry.JSON.createObjectNode() : entries.get(o.getKey());
      if (o.getKey().equals(manager)) {
        e.put("manager", manager);
        e.put("operation", "Apply");
        e.put("apiVersion", t.apiVersion());
        e.put("time", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
      }
      e.put("fieldsType", "FieldsV1");
      e.set("fieldsV1", tree(o.getValue()));
      managed.add(e);
    }
    Defaults.obj(merged, "metadata").set("managedFields", managed);
    return merged;
  }

  private static ObjectNode withoutManagedFields(ObjectNode o) {
    ObjectNode c = o.deepCopy();
    if (c.get("metadata") instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return c;
  }

  /** The leaf paths of a configuration, each a tab-separated list of FieldsV1 keys. */
  static Set<String> fieldSet(ObjectNode config) {
    Set<String> out = new LinkedHashSet<>();
    config.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (k.equals("apiVersion") || k.equals("kind") || k.equals("status")) {
        return;
      }
      if (k.equals("metadata") && e.getValue() instanceof ObjectNode m) {
        m.fields().forEachRemaining(me -> {
          if (!UNOWNED_METADATA.contains(me.getKey())) {
            leaves(me.getValue(), "f:metadata\tf:" + me.getKey(), me.getKey(), "metadata", out);
          }
        });
        return;
      }
      leaves(e.getValue(), "f:" + k, k, "", out);
    });
    return out;
  }

  private static void leaves(JsonNode v, String path, String field, String context, Set<String> out) {
    if (v instanceof ObjectNode o && !o.isEmpty()) {
      o.fields().forEachRemaining(e -> leaves(e.getValue(), path + "\tf:" + e.getKey(), e.getKey(), field, out));
      return;
    }
    String key = StrategicMergePatch.mergeKey(field, context);
    if (v instanceof ArrayNode a && key != null) {
      for (JsonNode item : a) {
        String itemPath = path + "\tk:" + Registry.JSON.createObjectNode().set(key, item.path(key)).toString();
        out.add(itemPath + "\t.");
        item.fields().forEachRemaining(e -> leaves(e.getValue(), itemPath + "\tf:" + e.getKey(), e.getKey(), field, out));
      }
      return;
    }
    out.add(path);
  }

  /** FieldsV1 tree to leaf paths. */
  private static void flatten(JsonNode n, String prefix, Set<String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    if (!it.hasNext()) {
      if (!prefix.isEmpty()) {
        out.add(prefix);
      }
      return;
    }
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "\t" + e.getKey(), out);
    }
  }

  /** Leaf paths to a FieldsV1 tree. */
  private static ObjectNode tree(Set<String> paths) {
    ObjectNode root = Registry.JSON.createObjectNode();
    for (String p : paths) {
      ObjectNode at = root;
      for (String seg : p.split("\t")) {
        at = at.get(seg) instanceof ObjectNode o ? o : at.putObject(seg);
      }
    }
    return root;
  }

  /** The value at a path (MissingNode when absent; a list item's "." is the item itself). */
  private static JsonNode valueAt(JsonNode n, String path) {
    JsonNode at = n;
    for (String seg : path.split("\t")) {
      if (seg.startsWith("f:")) {
        at = at.path(seg.substring(2));
      } else if (seg.startsWith("k:")) {
        at = item(at, seg);
      }
    }
    return at;
  }

  private static JsonNode item(JsonNode list, String seg) {
    try {
      JsonNode key = Registry.JSON.readTree(seg.substring(2));
      Map.Entry<String, JsonNode> k = key.fields().next();
      for (JsonNode i : list) {
        if (i.path(k.getKey()).equals(k.getValue())) {
          return i;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not a key of ours: absent
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** Removes the field (or list item, for a "." path) at a path, if present. */
  private static void remove(ObjectNode root, String path) {
    String[] segs = path.split("\t");
    JsonNode parent = root;
    for (int i = 0; i < segs.length - 1; i++) {
      String seg = segs[i];
      boolean last = i == segs.length - 2;
      if (seg.startsWith("k:") && last && segs[segs.length - 1].equals(".")) {
        JsonNode target = item(parent, seg);
        if (parent instanceof ArrayNode a) {
          for (int j = a.size() - 1; j >= 0; j--) {
            if (a.get(j) == target) {
              a.remove(j);
            }
          }
        }
        return;
      }
      parent = seg.startsWith("f:") ? parent.path(seg.substring(2)) : item(parent, seg);
    }
    String leaf = segs[segs.length - 1];
    if (leaf.startsWith("f:") && parent instanceof ObjectNode o) {
      o.remove(leaf.substring(2));
    }
  }

  /** {@code .spec.replicas}, as upstream names a conflicting field. */
  private static String dotted(String path) {
    StringBuilder sb = new StringBuilder();
    for (String seg : path.split("\t")) {
      if (seg.startsWith("f:")) {
        sb.append('.').append(seg.substring(2));
      } else if (seg.startsWith("k:")) {
        sb.append('[').append(seg.substring(2)).append(']');
      }
    }
    return sb.toString();
  }
}
