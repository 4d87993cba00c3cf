package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAPI documents describing the paths and operations of every resource, each operation tagged
 * with {@code x-kubernetes-group-version-kind} and {@code x-kubernetes-action}, and every write
 * accepting the {@code fieldValidation} query parameter. That is what kubectl looks for in
 * {@code /openapi/v3} to hand validation to the server ({@code fieldValidation=Strict}) instead of
 * validating client-side. Object schemas are open ({@code type: object}), so kubectl computes
 * strategic merge patches from its compiled-in types, as it does when a schema is absent.
 */
final class OpenApi {
  private OpenApi() {}

  static String gvPath(ResourceType t) {
    return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
  }

  /** {@code /openapi/v3}: the group versions and where their documents are. */
  static ObjectNode v3Root(Resources resources) {
    ObjectNode root = Registry.JSON.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    for (ResourceType t : resources.all()) {
      String p = gvPath(t);
      if (!paths.has(p)) {
        paths.putObject(p).put("serverRelativeURL", "/openapi/v3/" + p + "?hash=" + Integer.toHexString(p.hashCode() & 0x7fffffff)
            + Discovery.KUBE_VERSION.replace(".", ""));
      }
    }
    return root;
  }

  /** {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/apps/v1}, …; null when unknown. */
  static ObjectNode v3(Resources resources, String gv) {
    ObjectNode doc = Registry.JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.KUBE_VERSION);
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    boolean any = false;
    for (ResourceType t : resources.all()) {
      if (!gvPath(t).equals(gv)) {
        continue;
      }
      any = true;
      String base = "/" + gvPath(t) + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource();
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation(t, "list", false));
      collection.set("post", operation(t, "post", true));
      collection.set("delete", operation(t, "deletecollection", false));
      ObjectNode item = paths.putObject(base + "/{name}");
      item.set("get", operation(t, "get", false));
      item.set("put", operation(t, "put", true));
      item.set("patch", operation(t, "patch", true));
      item.set("delete", operation(t, "delete", false));
      ObjectNode schema = schemas.putObject(schemaName(t));
      schema.put("type", "object");
      schema.put("x-kubernetes-preserve-unknown-fields", true);
      ArrayNode gvk = schema.putArray("x-kubernetes-group-version-kind");
      gvk.addObject().put("group", t.group()).put("version", t.version()).put("kind", t.kind());
    }
    return any ? doc : null;
  }

  private static String schemaName(ResourceType t) {
    String g = t.group().isEmpty() ? "core" : t.group().split("\\.")[0];
    return "io.k8s.api." + g + "." + t.version() + "." + t.kind();
  }

  private static ObjectNode operation(ResourceType t, String action, boolean write) {
    ObjectNode op = Registry.JSON.createObjectNode();
    op.put("operationId", action + t.kind());
    op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
    op.put("x-kubernetes-action", action);
    ArrayNode params = op.putArray("parameters");
    if (write) {
      ObjectNode fv = params.addObject();
      fv.put("name", "fieldValidation");
      fv.put("in", "query");
      fv.put("description", "Ignore, Warn or Strict: how the server treats unknown or duplicate fields");
      fv.putObject("schema").put("type", "string");
      params.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type", "string");
    }
    op.putObject("responses").putObject("200").put("description", "OK");
    return op;
  }

  /** {@code /openapi/v2}: Swagger 2.0 with the same paths and open definitions. */
  static ObjectNode v2(Resources resources) {
    ObjectNode doc = Registry.JSON.createObjectNode();
    doc.put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.KUBE_VERSION);
    ObjectNode paths = doc.putObject("paths");
    ObjectNode defs = doc.putObject("definitions");
    for (ResourceType t : resources.all()) {
      ObjectNode gvDoc = v3(resources, gvPath(t));
      gvDoc.path("paths").fields().forEachRemaining(e -> paths.set(e.getKey(), e.getValue()));
      gvDoc.path("components").path("schemas").fields().forEachRemaining(e -> defs.set(e.getKey(), e.getValue()));
    }
    return doc;
  }
}
