package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An object's {@code metadata.managedFields}: which manager owns which fields. Each entry is one
 * {@link Owner} — a manager name, the operation it used (Apply or Update) and the subresource —
 * with its field set, kept here as leaf paths (tab-separated FieldsV1 keys such as
 * {@code f:spec\tf:replicas}). Entries keep their order; an owner left with no field is dropped.
 */
final class ManagedFields {

  /** Who owns fields: upstream tells an Apply and an Update of the same manager apart, and subresources too. */
  record Owner(String manager, String operation, String subresource) {
    static Owner apply(String manager) {
      return new Owner(manager, "Apply", "");
    }

    static Owner update(String manager, String subresource) {
      return new Owner(manager, "Update", subresource == null ? "" : subresource);
    }

    /** As upstream names it in a conflict: {@code "m"} or {@code "m" with subresource "status"}. */
    String describe() {
      return "\"" + manager + "\"" + (subresource.isEmpty() ? "" : " with subresource \"" + subresource + "\"");
    }
  }

  /**
   * Who makes a write that is not an apply: the request's {@code fieldManager}, else the product
   * part of its User-Agent ({@code kubectl/v1.32.0 ...} gives {@code kubectl}), as upstream.
   *
   * @param named whether the request named its manager (then the write is always recorded;
   *              otherwise only on objects that already have managedFields, so that objects no
   *              client ever applied or named a manager for stay as lean as they were)
   */
  record Writer(String manager, boolean named) {
    static final Writer NONE = new Writer(null, false);

    boolean recordsOn(JsonNode stored) {
      return manager != null && (named || present(stored));
    }
  }

  final Map<Owner, Set<String>> owners = new LinkedHashMap<>();
  private final Map<Owner, ObjectNode> entries = new LinkedHashMap<>();

  private ManagedFields() {
  }

  /** The managed fields recorded on {@code o} (none when it has none). */
  static ManagedFields of(JsonNode o) {
    ManagedFields mf = new ManagedFields();
    for (JsonNode e : o.path("metadata").path("managedFields")) {
      Owner owner = new Owner(e.path("manager").asText(), e.path("operation").asText("Update"), e.path("subresource").asText(""));
      Set<String> set = mf.owners.computeIfAbsent(owner, k -> new LinkedHashSet<>());
      flatten(e.path("fieldsV1"), "", set);
      mf.entries.put(owner, (ObjectNode) e.deepCopy());
    }
    return mf;
  }

  static boolean present(JsonNode o) {
    return o != null && o.path("metadata").path("managedFields").size() > 0;
  }

  Set<String> of(Owner owner) {
    return owners.getOrDefault(owner, Set.of());
  }

  /** Takes {@code path} from every other owner and gives it to {@code owner}. */
  void takeOver(Owner owner, String path) {
    for (Map.Entry<Owner, Set<String>> o : owners.entrySet()) {
      if (!o.getKey().equals(owner)) {
        o.getValue().remove(path);
      }
    }
    owners.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(path);
  }

  /** Whether an owner other than {@code owner} has {@code path}. */
  boolean ownedByOtherThan(Owner owner, String path) {
    return owners.entrySet().stream().anyMatch(o -> !o.getKey().equals(owner) && o.getValue().contains(path));
  }

  /**
   * Writes the entries into {@code o}'s metadata; {@code touched} (the owner of this write) gets
   * the API version and the time, the others keep theirs.
   */
  void writeTo(ObjectNode o, Owner touched, String apiVersion, Instant now) {
    ArrayNode managed = Registry.JSON.createArrayNode();
    for (Map.Entry<Owner, Set<String>> e : owners.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      Owner owner = e.getKey();
      ObjectNode entry = owner.equals(touched) || !entries.containsKey(owner) ? Registry.JSON.createObjectNode() : entries.get(owner);
      if (owner.equals(touched) || !entries.containsKey(owner)) {
        entry.put("manager", owner.manager());
        entry.put("operation", owner.operation());
        entry.put("apiVersion", apiVersion);
        entry.put("time", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
      }
      entry.put("fieldsType", "FieldsV1");
      entry.set("fieldsV1", tree(e.getValue()));
      if (!owner.subresource().isEmpty()) {
        entry.put("subresource", owner.subresource());
      }
      managed.add(entry);
    }
    ObjectNode meta = Defaults.obj(o, "metadata");
    if (managed.isEmpty()) {
      meta.remove("managedFields");
    } else {
      meta.set("managedFields", managed);
    }
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
}
