package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import io.kplane.model.StatusCause;
import io.kplane.model.StatusDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply ({@code PATCH application/apply-patch+yaml}): the applied configuration is
 * merged into the live object and its fields become owned by the {@code fieldManager}, recorded in
 * {@code metadata.managedFields} (operation Apply, FieldsV1 sets: {@code f:field},
 * {@code k:{"name":"x"}} for list items with a merge key, {@code "."} for an item itself; see
 * {@link ManagedFields}).
 * <ul>
 *   <li>A field the manager applied before and no longer applies is removed, unless another
 *       manager owns it too.</li>
 *   <li>A field another applier owns with a different value is a conflict: 409 Conflict with one
 *       {@code FieldManagerConflict} cause per field, unless {@code force=true}, which takes the
 *       field over.</li>
 *   <li>An object that does not exist is created from the configuration.</li>
 * </ul>
 * Writes that are not applies record Update managers ({@link #recordUpdate}), so an apply that
 * changes a field a {@code kubectl create} or a controller set conflicts with it, as upstream.
 * Simplified against upstream: lists without a merge key and primitive sets are owned as a whole.
 */
final class ServerSideApply {
  private ServerSideApply() {
  }

  /** Fields never owned: identity and server-set metadata, and status (applied through /status only). */
  private static final Set<String> UNOWNED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion", "generation",
      "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");

  /** The object after applying {@code config} as {@code manager} to {@code live} (null: a create). */
  static ObjectNode apply(ResourceType t, ObjectNode live, ObjectNode config, String manager, boolean force, Instant now) {
    return apply(t, live, config, manager, force, now, "");
  }

  /**
   * The object after applying {@code config} as {@code manager} to {@code live}, to the main
   * resource ({@code subresource} "") or to {@code status} (then only the configuration's status
   * counts, and the manager's entry says {@code subresource: status}).
   */
  static ObjectNode apply(ResourceType t, ObjectNode live, ObjectNode config, String manager, boolean force, Instant now,
                          String subresource) {
    boolean toStatus = "status".equals(subresource);
    Set<String> applied = toStatus ? statusFields(config) : fieldSet(config, false);
    ManagedFields.Owner self = new ManagedFields.Owner(manager, "Apply", toStatus ? "status" : "");
    ManagedFields mf = live == null ? ManagedFields.of(Registry.JSON.createObjectNode()) : ManagedFields.of(live);
    Set<String> previous = Set.copyOf(mf.of(self));
    List<Object[]> conflicts = new ArrayList<>();
    if (live != null) {
      for (Map.Entry<ManagedFields.Owner, Set<String>> o : mf.owners.entrySet()) {
        if (o.getKey().equals(self)) {
          continue;
        }
        for (String p : applied) {
          // a list item's "." is its existence, which both sides want: never a conflict
          if (o.getValue().contains(p) && !p.endsWith("\t.") && !valueAt(live, p).equals(valueAt(config, p))) {
            conflicts.add(new Object[] {o.getKey(), p});
          }
        }
      }
    }
    if (!conflicts.isEmpty() && !force) {
      List<StatusCause> causes = new ArrayList<>();
      for (Object[] c : conflicts) {
        causes.add(new StatusCause("FieldManagerConflict", "conflict with " + ((ManagedFields.Owner) c[0]).describe() + " using "
            + t.apiVersion(), dotted((String) c[1]), null));
      }
      String name = config.path("metadata").path("name").asText();
      StringBuilder msg = new StringBuilder("Apply failed with " + conflicts.size() + " conflict" + (conflicts.size() == 1 ? "" : "s") + ":");
      for (Object[] c : conflicts) {
        msg.append(" conflict with ").append(((ManagedFields.Owner) c[0]).describe()).append(" using ").append(t.apiVersion())
            .append(": ").append(dotted((String) c[1]));
      }
      throw new ApiException(Status.failure(409, "Conflict", msg.toString(),
          new StatusDetails(name, t.group(), t.resource(), null, causes, null, null)));
    }
    ObjectNode base = live == null ? Registry.JSON.createObjectNode() : live.deepCopy();
    for (String p : previous) {
      if (!applied.contains(p) && !mf.ownedByOtherThan(self, p)) {
        remove(base, p);
      }
    }
    ObjectNode patch;
    if (toStatus) {
      patch = Registry.JSON.createObjectNode();
      if (config.has("status")) {
        patch.set("status", config.get("status").deepCopy());
      }
    } else {
      patch = config.deepCopy();
      if (patch.get("metadata") instanceof ObjectNode pm) {
        pm.remove("managedFields");
      }
      patch.remove("status");
    }
    ObjectNode merged = (ObjectNode) StrategicMergePatch.apply(base, patch);
    if (live != null && conflicts.isEmpty() && previous.equals(applied) && withoutManagedFields(merged).equals(withoutManagedFields(live))) {
      return live.deepCopy(); // applying the same configuration again changes nothing (no write, same resourceVersion)
    }
    for (Object[] c : conflicts) {
      mf.owners.get((ManagedFields.Owner) c[0]).remove((String) c[1]); // force: the field changes hands
    }
    mf.owners.put(self, new LinkedHashSet<>(applied)); // fields applied with the same value stay shared
    mf.writeTo(merged, self, t.apiVersion(), now);
    return merged;
  }

  /**
   * Records a write that was not an apply (create, update, the other patch types) as upstream
   * does: the fields it set or changed become {@code manager}'s (operation Update, per
   * subresource), taken from whoever owned them, and fields it removed leave every owner. Ownership
   * is computed from {@code old}'s managedFields, not from what the client sent.
   *
   * @param old the stored object (null: a create)
   */
  static void recordUpdate(ResourceType t, ObjectNode old, ObjectNode next, String manager, String subresource, Instant now) {
    ManagedFields mf = ManagedFields.of(old == null ? Registry.JSON.createObjectNode() : old);
    ManagedFields.Owner self = ManagedFields.Owner.update(manager, subresource);
    Set<String> after = fieldSet(next, true);
    if (old != null) {
      Set<String> gone = new LinkedHashSet<>(fieldSet(old, true));
      gone.removeAll(after);
      for (Set<String> owned : mf.owners.values()) {
        owned.removeAll(gone);
      }
    }
    for (String p : after) {
      if (old == null || !valueAt(old, p).equals(valueAt(next, p))) {
        mf.takeOver(self, p);
      }
    }
    mf.writeTo(next, self, t.apiVersion(), now);
  }

  private static ObjectNode withoutManagedFields(ObjectNode o) {
    ObjectNode c = o.deepCopy();
    if (c.get("metadata") instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return c;
  }

  /** The leaf paths under the configuration's status. */
  private static Set<String> statusFields(ObjectNode config) {
    Set<String> out = new LinkedHashSet<>();
    for (String p : fieldSet(config, true)) {
      if (p.equals("f:status") || p.startsWith("f:status\t")) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The leaf paths of an object, each a tab-separated list of FieldsV1 keys; status only if asked
   * (an apply to the main resource never sets it).
   */
  static Set<String> fieldSet(ObjectNode config, boolean withStatus) {
    Set<String> out = new LinkedHashSet<>();
    config.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (k.equals("apiVersion") || k.equals("kind") || (k.equals("status") && !withStatus)) {
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
