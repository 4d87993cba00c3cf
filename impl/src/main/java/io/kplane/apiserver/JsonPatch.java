package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 pointers. */
final class JsonPatch {
  private JsonPatch() {}

  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw ApiException.badRequest("json patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      String kind = op.path("op").asText("");
      String path = op.path("path").asText(null);
      if (path == null) {
        throw ApiException.badRequest("json patch operation " + op + " has no path");
      }
      switch (kind) {
        case "add" -> doc = add(doc, path, value(op));
        case "remove" -> {
          get(doc, path);
          doc = remove(doc, path);
        }
        case "replace" -> {
          get(doc, path);
          doc = remove(doc, path);
          doc = add(doc, path, value(op));
        }
        case "move" -> {
          String from = op.path("from").asText();
          JsonNode v = get(doc, from);
          doc = remove(doc, from);
          doc = add(doc, path, v);
        }
        case "copy" -> doc = add(doc, path, get(doc, op.path("from").asText()).deepCopy());
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw new ApiException(io.kplane.model.Status.failure(422, "Invalid", "testing value " + path + " failed", null));
          }
        }
        default -> throw ApiException.badRequest("unexpected json patch operation \"" + kind + "\"");
      }
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw ApiException.badRequest("json patch operation " + op + " has no value");
    }
    return op.get("value");
  }

  private static String[] split(String pointer) {
    if (pointer.isEmpty()) {
      return new String[0];
    }
    if (!pointer.startsWith("/")) {
      throw ApiException.badRequest("invalid json pointer \"" + pointer + "\"");
    }
    String[] parts = pointer.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
    }
    return parts;
  }

  private static JsonNode get(JsonNode doc, String pointer) {
    JsonNode n = doc;
    for (String p : split(pointer)) {
      n = n.isArray() ? n.path(index(p, n.size(), false)) : n.path(p);
      if (n.isMissingNode()) {
        throw new ApiException(io.kplane.model.Status.failure(422, "Invalid", "doc is missing path: \"" + pointer + "\"", null));
      }
    }
    return n;
  }

  private static int index(String p, int size, boolean forAdd) {
    if (forAdd && p.equals("-")) {
      return size;
    }
    try {
      int i = Integer.parseInt(p);
      if (i < 0 || i > (forAdd ? size : size - 1)) {
        throw ApiException.badRequest("json patch index " + p + " out of bounds");
      }
      return i;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid json patch array index \"" + p + "\"");
    }
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
    String[] parts = split(pointer);
    if (parts.length == 0) {
      return value.deepCopy();
    }
    JsonNode parent = parentOf(doc, parts, pointer);
    String last = parts[parts.length - 1];
    if (parent instanceof ArrayNode a) {
      a.insert(index(last, a.size(), true), value.deepCopy());
    } else if (parent instanceof ObjectNode o) {
      o.set(last, value.deepCopy());
    } else {
      throw new ApiException(io.kplane.model.Status.failure(422, "Invalid", "doc is missing path: \"" + pointer + "\"", null));
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String pointer) {
    String[] parts = split(pointer);
    if (parts.length == 0) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode parent = parentOf(doc, parts, pointer);
    String last = parts[parts.length - 1];
    if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size(), false));
    } else if (parent instanceof ObjectNode o) {
      o.remove(last);
    }
    return doc;
  }

  private static JsonNode parentOf(JsonNode doc, String[] parts, String pointer) {
    JsonNode n = doc;
    for (int i = 0; i < parts.length - 1; i++) {
      n = n.isArray() ? n.path(index(parts[i], n.size(), false)) : n.path(parts[i]);
      if (n.isMissingNode()) {
        throw new ApiException(io.kplane.model.Status.failure(422, "Invalid", "doc is missing path: \"" + pointer + "\"", null));
      }
    }
    return n;
  }
}
