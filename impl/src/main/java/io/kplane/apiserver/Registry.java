package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.FieldSelector;
import io.kplane.model.Json;
import io.kplane.model.Selector;
import io.kplane.model.Status;
import io.kplane.model.StatusDetails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The REST semantics of every resource over {@link Storage}: create (generateName, uid,
 * timestamps, defaulting, validation), get, list (selectors, limit/continue, resourceVersion
 * semantics), update with optimistic concurrency, patch, delete (grace periods, finalizers,
 * propagation policies) and deletecollection. Objects are JSON trees, so fields this server does
 * not model survive every round trip.
 *
 * <p>Thread-safe and stateless beyond the storage: every method may run on any worker thread.
 */
public final class Registry {
  static final ObjectMapper JSON = Json.jsonMapper();
  private static final char[] NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
  private static final int MAX_RETRIES = 32;

  private final Storage storage;
  private final Resources resources;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ServiceAllocator allocator;
  private final DefaultTolerationSeconds tolerationDefaults;

  public Registry(Storage storage, Resources resources, Clock clock) {
    this(storage, resources, clock, ApiServer.Config.DEFAULT_SERVICE_CLUSTER_IP_RANGE, DefaultTolerationSeconds.UPSTREAM);
  }

  /**
   * @param serviceClusterIpRange one service CIDR, or two of different IP families (primary first)
   *     for a dual-stack cluster, as kube-apiserver's {@code --service-cluster-ip-range}
   * @param tolerationDefaults the not-ready/unreachable tolerations added to pods created without them
   */
  public Registry(Storage storage, Resources resources, Clock clock, String serviceClusterIpRange,
                  DefaultTolerationSeconds tolerationDefaults) {
    this.storage = storage;
    this.resources = resources;
    this.clock = clock;
    this.tolerationDefaults = java.util.Objects.requireNonNull(tolerationDefaults, "tolerationDefaults");
    this.allocator = new ServiceAllocator(storage, resources.find("", "v1", "services"), random,
        ServiceCidr.parseRange(serviceClusterIpRange));
  }

  public Storage storage() {
    return storage;
  }

  public Resources resources() {
    return resources;
  }

  // ---------------------------------------------------------------------------------- encoding

  /** The stored object with its resourceVersion set from the key's modRevision. */
  static ObjectNode decode(Storage.KeyValue kv) {
    try {
      ObjectNode o = (ObjectNode) JSON.readTree(kv.value());
      Defaults.obj(o, "metadata").put("resourceVersion", Long.toString(kv.modRevision()));
      return o;
    } catch (IOException | ClassCastException e) {
      throw new ApiException(Status.internalError("cannot decode " + kv.key() + ": " + e.getMessage()));
    }
  }

  static ObjectNode decode(byte[] value, long revision) {
    return decode(new Storage.KeyValue("", value, revision));
  }

  /** The bytes stored: the object without its resourceVersion (the store's revision is the truth). */
  static byte[] encode(ObjectNode o) {
    ObjectNode copy = o.deepCopy();
    if (copy.get("metadata") instanceof ObjectNode m) {
      m.remove("resourceVersion");
      m.remove("selfLink");
    }
    try {
      return JSON.writeValueAsBytes(copy);
    } catch (IOException e) {
      throw new ApiException(Status.internalError(e.getMessage()));
    }
  }

  static ObjectNode parseBody(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request body is empty");
    }
    try {
      JsonNode n = body[0] == '{' || body[0] == '[' || Character.isWhitespace(body[0])
          ? JSON.readTree(body) : Json.yamlMapper().readTree(body);
      if (!(n instanceof ObjectNode o)) {
        throw ApiException.badRequest("the body of the request must be a JSON object");
      }
      return o;
    } catch (IOException e) {
      throw ApiException.badRequest("the body of the request was in an unknown format: " + e.getMessage().split("\n")[0]);
    }
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
  }

  // ---------------------------------------------------------------------------------------- get

  public ObjectNode get(ResourceType t, String ns, String name) {
    Storage.KeyValue kv = storage.get(t.storageKey(ns, name));
    if (kv == null) {
      throw ApiException.notFound(t, name);
    }
    return decode(kv);
  }

  // ------------------------------------------------------------------------------------- create

  /** Creates the object; {@code ns} is the namespace of the URL (null for cluster-scoped or all). */
  public ObjectNode create(ResourceType t, String ns, ObjectNode o, boolean dryRun) {
    return create(t, ns, o, dryRun, ManagedFields.Writer.NONE);
  }

  /** Creates the object as {@code writer} (recorded in managedFields when the request named its manager). */
  public ObjectNode create(ResourceType t, String ns, ObjectNode o, boolean dryRun, ManagedFields.Writer writer) {
    checkKind(t, o);
    ObjectNode meta = Defaults.obj(o, "metadata");
    if (t.namespaced()) {
      String bodyNs = meta.path("namespace").asText("");
      if (ns == null) {
        ns = bodyNs.isEmpty() ? "default" : bodyNs;
      } else if (!bodyNs.isEmpty() && !bodyNs.equals(ns)) {
        throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.put("namespace", ns);
      checkNamespace(t, ns, meta.path("name").asText(meta.path("generateName").asText("")));
    } else {
      meta.remove("namespace");
    }
    if (!meta.path("resourceVersion").asText("").isEmpty()) {
      throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
    }
    if (meta.path("name").asText("").isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
      meta.put("name", generateName(meta.path("generateName").asText()));
    }
    if (meta.path("name").asText("").isEmpty()) {
      throw new ApiException(Status.invalid(t.group(), t.kind(), "", List.of(
          new io.kplane.model.StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name", null))));
    }
    o.put("apiVersion", t.apiVersion());
    o.put("kind", t.kind());
    prepareForCreate(t, o);
    Defaults.apply(t, o);
    Validation.validate(t, o, null);
    if (t.kind().equals("Service")) {
      allocator.allocate(o);
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", now());
    meta.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink"));
    if (t.kind().equals("Deployment") || t.kind().equals("ReplicaSet") || t.kind().equals("PodDisruptionBudget")) {
      meta.put("generation", 1);
    }
    if (writer.named()) {
      ServerSideApply.recordUpdate(t, null, o, writer.manager(), null, clock.instant());
    }
    if (t.kind().equals("Pod") && t.group().isEmpty()) {
      tolerationDefaults.admit(o);   // mutating admission: after defaulting, validation and field ownership
    }
    String name = meta.path("name").asText();
    if (dryRun) {
      return o;
    }
    Storage.WriteResult r = storage.create(t.storageKey(ns, name), encode(o));
    if (!r.succeeded()) {
      throw new ApiException(Status.alreadyExists(t.group(), t.resource(), name));
    }
    meta.put("resourceVersion", Long.toString(r.revision()));
    return o;
  }

  private void checkKind(ResourceType t, ObjectNode o) {
    String kind = o.path("kind").asText("");
    String apiVersion = o.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(t.kind())) {
      throw ApiException.badRequest("the kind of the object (" + kind + ") does not match the kind of the resource (" + t.kind() + ")");
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(t.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version ("
          + t.apiVersion() + ")");
    }
  }

  private void checkNamespace(ResourceType t, String ns, String name) {
    ResourceType namespaces = resources.find("", "v1", "namespaces");
    Storage.KeyValue kv = storage.get(namespaces.storageKey(null, ns));
    if (kv == null) {
      throw new ApiException(Status.notFound("", "namespaces", ns));
    }
    if (!decode(kv).path("metadata").path("deletionTimestamp").isMissingNode() && !t.resource().equals("events")) {
      throw ApiException.forbidden(t.resource() + " \"" + name + "\" is forbidden: unable to create new content in namespace "
          + ns + " because it is being terminated");
    }
  }

  private String generateName(String base) {
    if (base.length() > 58) {
      base = base.substring(0, 58);
    }
    StringBuilder sb = new StringBuilder(base);
    for (int i = 0; i < 5; i++) {
      sb.append(NAME_ALPHABET[random.nextInt(NAME_ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static void prepareForCreate(ResourceType t, ObjectNode o) {
    switch (t.kind()) {
      case "Pod" -> {
        ObjectNode status = o.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(o.path("spec")));
      }
      case "Deployment", "ReplicaSet", "Service" -> o.remove("status");
      default -> {
      }
    }
  }

  /** The pod's QoS class from its containers' requests and limits (simplified to cpu and memory). */
  static String qosClass(JsonNode spec) {
    boolean guaranteed = true;
    boolean any = false;
    for (JsonNode c : spec.path("containers")) {
      JsonNode req = c.path("resources").path("requests");
      JsonNode lim = c.path("resources").path("limits");
      for (String r : List.of("cpu", "memory")) {
        if (req.has(r) || lim.has(r)) {
          any = true;
        }
        if (!lim.has(r) || req.has(r) && !req.get(r).equals(lim.get(r))) {
          guaranteed = false;
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  // ------------------------------------------------------------------------------------- update

  /**
   * Replaces the object (PUT). {@code subresource} is null, "status" or "scale". A non-empty
   * resourceVersion in the body is a precondition (409 when stale).
   */
  public ObjectNode update(ResourceType t, String ns, String name, String subresource, ObjectNode body, boolean dryRun) {
    return update(t, ns, name, subresource, body, dryRun, ManagedFields.Writer.NONE);
  }

  /** {@link #update(ResourceType, String, String, String, ObjectNode, boolean)} as {@code writer}. */
  public ObjectNode update(ResourceType t, String ns, String name, String subresource, ObjectNode body, boolean dryRun,
                           ManagedFields.Writer writer) {
    JsonNode bodyName = body.path("metadata").path("name");
    if (!"scale".equals(subresource) && !bodyName.isMissingNode() && !bodyName.asText().equals(name)) {
      throw ApiException.badRequest("the name of the object (" + bodyName.asText() + ") does not match the name on the URL (" + name + ")");
    }
    String bodyRv = body.path("metadata").path("resourceVersion").asText("");
    if ("scale".equals(subresource)) {
      return toScale(t, guaranteedUpdate(t, ns, name, bodyRv, dryRun, cur -> {
        ObjectNode next = cur.deepCopy();
        Defaults.obj(next, "spec").set("replicas", body.path("spec").path("replicas"));
        return next;
      }, null, writer));
    }
    if (!"status".equals(subresource)) {
      checkKind(t, body);
    }
    return guaranteedUpdate(t, ns, name, bodyRv, dryRun, cur -> body.deepCopy(), subresource, writer);
  }

  /** Applies a patch (content types of the PATCH verb) to the current object. */
  public ObjectNode patch(ResourceType t, String ns, String name, String subresource, String contentType, byte[] patchBytes,
                          boolean dryRun) {
    return patch(t, ns, name, subresource, contentType, patchBytes, dryRun, ManagedFields.Writer.NONE);
  }

  /** {@link #patch(ResourceType, String, String, String, String, byte[], boolean)} as {@code writer}. */
  public ObjectNode patch(ResourceType t, String ns, String name, String subresource, String contentType, byte[] patchBytes,
                          boolean dryRun, ManagedFields.Writer writer) {
    JsonNode patch;
    try {
      patch = JSON.readTree(patchBytes);
    } catch (IOException e) {
      throw ApiException.badRequest("error decoding patch: " + e.getMessage().split("\n")[0]);
    }
    if (patch == null) {
      throw ApiException.badRequest("empty patch");
    }
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    UnaryOperator<ObjectNode> apply = cur -> {
      ObjectNode base = "scale".equals(subresource) ? toScale(t, cur) : cur;
      JsonNode out = switch (type) {
        case "application/json-patch+json" -> JsonPatch.apply(base, patch);
        case "application/merge-patch+json" -> JsonMergePatch.apply(base, patch);
        case "application/strategic-merge-patch+json" -> StrategicMergePatch.apply(base, patch);
        case "application/apply-patch+yaml" -> throw new ApiException(Status.failure(415, "UnsupportedMediaType",
            "server-side apply is not supported by this server; use client-side kubectl apply", null));
        default -> throw new ApiException(Status.failure(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
                + "application/merge-patch+json, application/strategic-merge-patch+json", null));
      };
      if (!(out instanceof ObjectNode o)) {
        throw ApiException.badRequest("the patch did not produce an object");
      }
      String patchedRv = o.path("metadata").path("resourceVersion").asText("");
      if (!patchedRv.isEmpty() && !patchedRv.equals(cur.path("metadata").path("resourceVersion").asText())) {
        throw ApiException.conflict(t, name);
      }
      if ("scale".equals(subresource)) {
        ObjectNode next = cur.deepCopy();
        Defaults.obj(next, "spec").set("replicas", o.path("spec").path("replicas"));
        return next;
      }
      return o;
    };
    ObjectNode result = guaranteedUpdate(t, ns, name, "", dryRun, apply, "scale".equals(subresource) ? null : subresource, writer);
    return "scale".equals(subresource) ? toScale(t, result) : result;
  }

  /**
   * The read-modify-write loop of every update: reads the current object, computes the next one,
   * keeps what the caller may not change, validates, and writes with a compare-and-swap on the
   * modRevision; a lost race retries with the fresher object unless the caller pinned a
   * resourceVersion (then 409).
   */
  ObjectNode guaranteedUpdate(ResourceType t, String ns, String name, String preconditionRv, boolean dryRun,
                              UnaryOperator<ObjectNode> tryUpdate, String subresource) {
    return guaranteedUpdate(t, ns, name, preconditionRv, dryRun, tryUpdate, subresource, ManagedFields.Writer.NONE);
  }

  /**
   * {@link #guaranteedUpdate(ResourceType, String, String, String, boolean, UnaryOperator, String)},
   * recorded for {@code writer}; a null writer is an apply, whose function computed managedFields itself.
   */
  ObjectNode guaranteedUpdate(ResourceType t, String ns, String name, String preconditionRv, boolean dryRun,
                              UnaryOperator<ObjectNode> tryUpdate, String subresource, ManagedFields.Writer writer) {
    String key = t.storageKey(ns, name);
    Storage.KeyValue cur = storage.get(key);
    for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
      if (cur == null) {
        throw ApiException.notFound(t, name);
      }
      if (!preconditionRv.isEmpty() && !preconditionRv.equals(Long.toString(cur.modRevision()))) {
        throw ApiException.conflict(t, name);
      }
      ObjectNode old = decode(cur);
      ObjectNode next = tryUpdate.apply(old.deepCopy());
      next = prepareForUpdate(t, next, old, subresource);
      if (writer != null) {
        // ownership follows the stored managedFields, whatever the client sent back in its body
        JsonNode stored = old.path("metadata").get("managedFields");
        ObjectNode nextMeta = (ObjectNode) next.get("metadata");
        if (stored == null) {
          nextMeta.remove("managedFields");
        } else {
          nextMeta.set("managedFields", stored.deepCopy());
        }
        if (writer.recordsOn(old) && !next.equals(old)) {
          ServerSideApply.recordUpdate(t, old, next, writer.manager(), subresource, clock.instant());
        }
      }
      if (next.equals(old)) {
        return old; // nothing changed: no write, same resourceVersion (kubectl apply twice)
      }
      if (dryRun) {
        return next;
      }
      ObjectNode meta = (ObjectNode) next.get("metadata");
      boolean finalize = !meta.path("deletionTimestamp").isMissingNode()
          && (!meta.has("finalizers") || meta.get("finalizers").isEmpty())
          && meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
      Storage.WriteResult r = finalize ? storage.delete(key, cur.modRevision()) : storage.update(key, encode(next), cur.modRevision());
      if (r.succeeded()) {
        meta.put("resourceVersion", Long.toString(r.revision()));
        return next;
      }
      if (!preconditionRv.isEmpty()) {
        throw ApiException.conflict(t, name);
      }
      cur = r.current();
    }
    throw new ApiException(Status.failure(409, "Conflict", "Operation cannot be fulfilled on " + t.qualifiedResource() + " \"" + name
        + "\": too many concurrent updates", null));
  }

  /** Keeps identity and system fields, applies the status/main split, bumps generation, defaults and validates. */
  private ObjectNode prepareForUpdate(ResourceType t, ObjectNode next, ObjectNode old, String subresource) {
    ObjectNode oldMeta = (ObjectNode) old.get("metadata");
    if ("status".equals(subresource)) {
      ObjectNode merged = old.deepCopy();
      if (next.has("status")) {
        merged.set("status", next.get("status"));
      } else {
        merged.remove("status");
      }
      JsonNode managed = next.path("metadata").get("managedFields"); // an apply to status records itself
      if (managed != null) {
        ((ObjectNode) merged.get("metadata")).set("managedFields", managed);
      } else {
        ((ObjectNode) merged.get("metadata")).remove("managedFields");
      }
      next = merged;
    } else if (t.hasStatus() && !"binding".equals(subresource)) {
      if (old.has("status")) {
        next.set("status", old.get("status"));
      } else {
        next.remove("status");
      }
    }
    next.put("apiVersion", t.apiVersion());
    next.put("kind", t.kind());
    ObjectNode meta = Defaults.obj(next, "metadata");
    for (String f : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation", "resourceVersion")) {
      if (oldMeta.has(f)) {
        meta.set(f, oldMeta.get(f));
      } else {
        meta.remove(f);
      }
    }
    // Finalizers may only be removed, not added, once deletion started (upstream allows removal only).
    Defaults.apply(t, next);
    if (oldMeta.has("generation") && !next.path("spec").equals(old.path("spec"))) {
      meta.put("generation", oldMeta.get("generation").asLong() + 1);
    }
    if (t.kind().equals("Service")) {
      allocator.keep(next, old);
    }
    ObjectNode against = old;
    if ("binding".equals(subresource)) {
      // pods/binding is the one write that may set spec.nodeName (and the PodScheduled condition)
      against = old.deepCopy();
      Defaults.obj(against, "spec").set("nodeName", next.path("spec").path("nodeName"));
    }
    Validation.validate(t, next, against);
    return next;
  }

  /** autoscaling/v1 Scale of a deployment or replica set. */
  ObjectNode toScale(ResourceType t, ObjectNode o) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode m = o.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.has(f)) {
        meta.set(f, m.get(f));
      }
    }
    s.putObject("spec").put("replicas", o.path("spec").path("replicas").asInt(0));
    ObjectNode status = s.putObject("status");
    status.put("replicas", o.path("status").path("replicas").asInt(0));
    JsonNode sel = o.path("spec").path("selector");
    if (sel.isObject()) {
      try {
        status.put("selector", Selector.of(Json.convert(sel, io.kplane.model.LabelSelector.class)).toString());
      } catch (RuntimeException e) {
        // an invalid stored selector leaves status.selector empty
      }
    }
    return s;
  }

  // ------------------------------------------------------------------------------------- delete

  /** Options of a DELETE, from the body (DeleteOptions) and the query. */
  public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                              String preconditionResourceVersion, boolean dryRun) {
    static DeleteOptions of(JsonNode body, Map<String, String> query) {
      Long grace = body.has("gracePeriodSeconds") && !body.get("gracePeriodSeconds").isNull() ? body.get("gracePeriodSeconds").asLong() : null;
      if (query.containsKey("gracePeriodSeconds")) {
        try {
          grace = Long.parseLong(query.get("gracePeriodSeconds"));
        } catch (NumberFormatException e) {
          throw ApiException.badRequest("invalid gracePeriodSeconds: " + query.get("gracePeriodSeconds"));
        }
      }
      String policy = body.path("propagationPolicy").asText(query.get("propagationPolicy"));
      if (policy == null && body.has("orphanDependents")) {
        policy = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
      }
      if (policy == null && query.containsKey("orphanDependents")) {
        policy = Boolean.parseBoolean(query.get("orphanDependents")) ? "Orphan" : "Background";
      }
      if (policy != null && !List.of("Orphan", "Foreground", "Background").contains(policy)) {
        throw new ApiException(Status.failure(422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: "
            + "Unsupported value: \"" + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"", null));
      }
      JsonNode pre = body.path("preconditions");
      boolean dryRun = query.containsKey("dryRun") || body.path("dryRun").isArray() && !body.path("dryRun").isEmpty();
      return new DeleteOptions(grace, policy, pre.path("uid").asText(null), pre.path("resourceVersion").asText(null), dryRun);
    }
  }

  /** The result of a delete: the object as it is now, and whether it is gone from storage. */
  public record Deleted(ObjectNode object, boolean gone) {
  }

  public Deleted delete(ResourceType t, String ns, String name, DeleteOptions options) {
    String key = t.storageKey(ns, name);
    Storage.KeyValue cur = storage.get(key);
    for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
      if (cur == null) {
        throw ApiException.notFound(t, name);
      }
      ObjectNode obj = decode(cur);
      ObjectNode meta = (ObjectNode) obj.get("metadata");
      if (options.preconditionUid() != null && !options.preconditionUid().equals(meta.path("uid").asText())) {
        throw new ApiException(Status.conflict(t.group(), t.resource(), name, "Precondition failed: UID in precondition: "
            + options.preconditionUid() + ", UID in object meta: " + meta.path("uid").asText()));
      }
      if (options.preconditionResourceVersion() != null
          && !options.preconditionResourceVersion().equals(Long.toString(cur.modRevision()))) {
        throw new ApiException(Status.conflict(t.group(), t.resource(), name, "Precondition failed: ResourceVersion in precondition: "
            + options.preconditionResourceVersion() + ", ResourceVersion in object meta: " + cur.modRevision()));
      }
      ObjectNode next = obj.deepCopy();
      ObjectNode nextMeta = (ObjectNode) next.get("metadata");
      ArrayNode finalizers = nextMeta.get("finalizers") instanceof ArrayNode a ? a : nextMeta.putArray("finalizers");
      String policy = options.propagationPolicy();
      if ("Orphan".equals(policy)) {
        addFinalizer(finalizers, "orphan");
        removeFinalizer(finalizers, "foregroundDeletion");
      } else if ("Foreground".equals(policy)) {
        addFinalizer(finalizers, "foregroundDeletion");
        removeFinalizer(finalizers, "orphan");
      } else if ("Background".equals(policy)) {
        removeFinalizer(finalizers, "orphan");
        removeFinalizer(finalizers, "foregroundDeletion");
      }
      long grace = gracePeriod(t, obj, options.gracePeriodSeconds());
      boolean pendingFinalizers = !finalizers.isEmpty();
      if (finalizers.isEmpty()) {
        nextMeta.remove("finalizers");
      }
      boolean alreadyDeleting = meta.has("deletionTimestamp");
      if (grace == 0 && !pendingFinalizers) {
        if (options.dryRun()) {
          return new Deleted(obj, true);
        }
        Storage.WriteResult r = storage.delete(key, cur.modRevision());
        if (r.succeeded()) {
          meta.put("resourceVersion", Long.toString(r.revision()));
          if (t.kind().equals("Namespace")) {
            // nothing left to do: content was removed before the namespace went (see deleteNamespaceContent)
          }
          return new Deleted(obj, true);
        }
        cur = r.current();
        continue;
      }
      Instant nowTs = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      if (!alreadyDeleting || grace < nextMeta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)) {
        nextMeta.put("deletionTimestamp", DateTimeFormatter.ISO_INSTANT.format(nowTs.plusSeconds(grace)));
        nextMeta.put("deletionGracePeriodSeconds", grace);
      }
      if (t.kind().equals("Namespace")) {
        Defaults.obj(next, "status").put("phase", "Terminating");
      }
      if (next.equals(obj)) {
        return new Deleted(obj, false);
      }
      if (options.dryRun()) {
        return new Deleted(next, false);
      }
      Storage.WriteResult r = storage.update(key, encode(next), cur.modRevision());
      if (r.succeeded()) {
        nextMeta.put("resourceVersion", Long.toString(r.revision()));
        return new Deleted(next, false);
      }
      cur = r.current();
    }
    throw new ApiException(Status.failure(409, "Conflict", "too many concurrent updates deleting " + name, null));
  }

  private static void addFinalizer(ArrayNode finalizers, String f) {
    for (JsonNode n : finalizers) {
      if (n.asText().equals(f)) {
        return;
      }
    }
    finalizers.add(f);
  }

  private static void removeFinalizer(ArrayNode finalizers, String f) {
    for (int i = finalizers.size() - 1; i >= 0; i--) {
      if (finalizers.get(i).asText().equals(f)) {
        finalizers.remove(i);
      }
    }
  }

  /** Graceful deletion applies to pods bound to a node that have not finished (upstream's pod strategy). */
  private static long gracePeriod(ResourceType t, ObjectNode obj, Long requested) {
    if (!t.kind().equals("Pod")) {
      return 0;
    }
    String phase = obj.path("status").path("phase").asText("");
    if (obj.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
      return 0;
    }
    long grace = requested != null ? requested : obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    return Math.max(0, grace);
  }

  /** Deletes every namespaced object in a namespace (the namespace controller's job, done inline). */
  public void deleteNamespaceContent(String ns) {
    for (ResourceType t : resources.all()) {
      if (!t.namespaced()) {
        continue;
      }
      for (ObjectNode o : listAll(t, ns)) {
        try {
          delete(t, ns, o.path("metadata").path("name").asText(), new DeleteOptions(0L, "Background", null, null, false));
        } catch (ApiException e) {
          if (e.code() != 404) {
            throw e;
          }
        }
      }
    }
  }

  // --------------------------------------------------------------------------------------- list

  /** Parameters of a list (and of a watch's initial state). */
  public record ListOptions(Selector labels, FieldSelector fields, long limit, String continueToken, String resourceVersion,
                            String resourceVersionMatch) {
    static ListOptions of(ResourceType t, Map<String, String> q) {
      Selector labels;
      try {
        labels = q.containsKey("labelSelector") && !q.get("labelSelector").isEmpty() ? Selector.parse(q.get("labelSelector"))
            : Selector.everything();
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("unable to parse requirement: " + e.getMessage());
      }
      long limit = 0;
      if (q.containsKey("limit")) {
        try {
          limit = Math.max(0, Long.parseLong(q.get("limit")));
        } catch (NumberFormatException e) {
          throw ApiException.badRequest("invalid limit: " + q.get("limit"));
        }
      }
      return new ListOptions(labels, FieldSelection.parse(t, q.get("fieldSelector")), limit, q.getOrDefault("continue", ""),
          q.getOrDefault("resourceVersion", ""), q.getOrDefault("resourceVersionMatch", ""));
    }

    boolean matchesEverything() {
      return labels.isEverything() && fields.isEverything();
    }
  }

  /** A list result: the items, the revision it was read at, and the continue token (empty when complete). */
  public record ListResult(List<ObjectNode> items, long revision, String continueToken, Long remaining) {
  }

  public boolean matches(ResourceType t, ListOptions opts, JsonNode o) {
    if (opts.matchesEverything()) {
      return true;
    }
    Map<String, String> labels = new HashMap<>();
    o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return opts.labels().matches(labels) && opts.fields().matches(FieldSelection.fields(t, o));
  }

  public ListResult list(ResourceType t, String ns, ListOptions opts) {
    // metadata.name pinned by the field selector: a single-key read
    String prefix = t.storagePrefix(ns);
    long revision = 0;
    String fromKey = null;
    if (!opts.continueToken().isEmpty()) {
      Continue c = Continue.decode(opts.continueToken(), prefix);
      revision = c.revision;
      fromKey = c.startKey;
    } else if (!opts.resourceVersion().isEmpty() && !opts.resourceVersion().equals("0")) {
      long rv = parseRv(opts.resourceVersion());
      if (opts.resourceVersionMatch().equals("Exact")) {
        revision = rv;
      } else {
        // NotOlderThan (and unset match with an rv): the current state is never older than rv,
        // but the store must have reached it.
        long current = storage.currentRevision();
        if (rv > current) {
          throw new ApiException(Status.failure(504, "Timeout", "Too large resource version: " + rv + ", current: " + current,
              null));
        }
      }
    }
    List<ObjectNode> items = new ArrayList<>();
    long limit = opts.limit();
    boolean more;
    long readRev;
    String lastKey = null;
    long count;
    try {
      while (true) {
        long pageSize = limit == 0 ? 0 : Math.max(limit - items.size(), opts.matchesEverything() ? 0 : 500);
        Storage.Page page = storage.list(prefix, fromKey, pageSize, revision);
        readRev = page.revision();
        revision = readRev;
        count = page.count();
        int used = 0;
        for (Storage.KeyValue kv : page.kvs()) {
          used++;
          lastKey = kv.key();
          ObjectNode o = decode(kv);
          if (matches(t, opts, o)) {
            items.add(o);
            if (limit > 0 && items.size() >= limit) {
              break;
            }
          }
        }
        more = page.more() || used < page.kvs().size();
        if (!more || limit == 0 || items.size() >= limit) {
          break;
        }
        fromKey = lastKey + "\u0000";
      }
    } catch (StorageException.Compacted e) {
      if (!opts.continueToken().isEmpty()) {
        throw new ApiException(Status.expired("The provided continue parameter is too old to display a consistent list result. "
            + "You can start a new list without the continue parameter, or use the continue token in this response to retrieve "
            + "the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that "
            + "were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."));
      }
      throw new ApiException(Status.expired("Expired: too old resource version: " + opts.resourceVersion() + " (" + e.compactedRevision() + ")"));
    }
    String token = "";
    Long remaining = null;
    if (more && limit > 0) {
      token = new Continue(readRev, lastKey + "\u0000").encode(prefix);
      if (opts.matchesEverything()) {
        remaining = Math.max(0, count - items.size());
      }
    }
    return new ListResult(items, readRev, token, remaining);
  }

  /** Every object of a type (in a namespace), unfiltered. */
  List<ObjectNode> listAll(ResourceType t, String ns) {
    List<ObjectNode> out = new ArrayList<>();
    for (Storage.KeyValue kv : storage.list(t.storagePrefix(ns), null, 0, 0).kvs()) {
      out.add(decode(kv));
    }
    return out;
  }

  static long parseRv(String rv) {
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + rv);
    }
  }

  /** The continue token: base64 of {"v":"meta.k8s.io/v1","rv":R,"start":KEY-RELATIVE-TO-PREFIX}, as upstream. */
  record Continue(long revision, String startKey) {
    String encode(String prefix) {
      ObjectNode n = JSON.createObjectNode();
      n.put("v", "meta.k8s.io/v1");
      n.put("rv", revision);
      n.put("start", startKey.substring(prefix.length()));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Continue decode(String token, String prefix) {
      try {
        JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_').replace("=", "")));
        if (!n.path("v").asText().equals("meta.k8s.io/v1") || n.path("rv").asLong(0) <= 0) {
          throw new IllegalArgumentException();
        }
        String start = n.path("start").asText("");
        if (start.contains("..") || start.startsWith("/")) {
          throw new IllegalArgumentException();
        }
        return new Continue(n.path("rv").asLong(), prefix + start);
      } catch (IOException | IllegalArgumentException e) {
        throw ApiException.badRequest("continue key is not valid: " + token);
      }
    }
  }

  /** The Status answered for a deleted object whose kind does not return the object. */
  static Status deletedStatus(ResourceType t, ObjectNode o) {
    String name = o.path("metadata").path("name").asText();
    return new Status(null, null, null, Status.SUCCESS, null, null,
        new StatusDetails(name, t.group(), t.resource(), o.path("metadata").path("uid").asText(null), null, null, null), null, null);
  }
}
