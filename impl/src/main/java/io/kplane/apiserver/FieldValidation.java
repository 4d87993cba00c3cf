package io.kplane.apiserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code fieldValidation} query parameter of writes, as kube-apiserver implements it: a JSON
 * or YAML body is checked for fields its kind does not have ({@code unknown field "spec.foo"})
 * and for fields given twice in one object ({@code duplicate field "spec.replicas"}).
 * {@code Strict} rejects such a body with 400 BadRequest listing every problem; {@code Warn} (the
 * default) accepts it and returns each problem as a {@code Warning} header; {@code Ignore} does
 * neither. Protobuf bodies are not checked (upstream cannot either: unknown protobuf fields are
 * dropped). The known fields come from {@link ProtobufSchema}, which names the JSON fields of every
 * served kind.
 */
final class FieldValidation {

  /** The directive of one request. */
  enum Mode { IGNORE, WARN, STRICT }

  private static final Map<String, Map<String, ProtobufSchema.Field>> NAMES = new ConcurrentHashMap<>();

  private FieldValidation() {
  }

  static Mode mode(String parameter) {
    if (parameter == null || parameter.isEmpty()) {
      return Mode.WARN;
    }
    return switch (parameter) {
      case "Ignore" -> Mode.IGNORE;
      case "Warn" -> Mode.WARN;
      case "Strict" -> Mode.STRICT;
      default -> throw ApiException.badRequest("fieldValidation parameter unsupported: \"" + parameter
          + "\"; supported values: \"Ignore\", \"Warn\", \"Strict\"");
    };
  }

  /**
   * Checks a write's body against kind {@code message}; {@code patch} says the body is a merge or
   * strategic merge patch (its {@code $} directives are not fields). Under Strict a problem throws
   * 400; under Warn the problems are returned as warnings.
   */
  static List<String> check(Mode mode, String message, String apiVersion, byte[] body, boolean patch) {
    ProtobufSchema.Message m = ProtobufSchema.message(message);
    if (mode == Mode.IGNORE || m == null || body.length == 0) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    JsonNode tree;
    try {
      boolean json = body[0] == '{' || body[0] == '[' || Character.isWhitespace(body[0]);
      tree = (json ? Registry.JSON : Json.yamlMapper()).readTree(body);
      for (String path : unknown(tree, m, "", patch)) {
        problems.add("unknown field \"" + path + "\"");
      }
      for (String path : duplicates(json ? Registry.JSON.getFactory() : Json.yamlMapper().getFactory(), body)) {
        problems.add("duplicate field \"" + path + "\"");
      }
    } catch (IOException e) {
      return List.of(); // a body that does not parse is the handler's 400 to report
    }
    if (mode == Mode.STRICT && !problems.isEmpty()) {
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      throw ApiException.badRequest(message + " in version \"" + version + "\" cannot be handled as a " + message
          + ": strict decoding error: " + String.join(", ", problems));
    }
    return problems;
  }

  /** Paths of the fields of {@code n} that message {@code m} does not have. */
  static List<String> unknown(JsonNode n, ProtobufSchema.Message m, String path, boolean patch) {
    List<String> out = new ArrayList<>();
    walk(n, m, path, patch, out);
    return out;
  }

  private static void walk(JsonNode n, ProtobufSchema.Message m, String path, boolean patch, List<String> out) {
    if (!(n instanceof ObjectNode o)) {
      return;
    }
    Map<String, ProtobufSchema.Field> known = names(m);
    o.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (patch && k.startsWith("$") || path.isEmpty() && (k.equals("apiVersion") || k.equals("kind"))) {
        return;
      }
      String at = path.isEmpty() ? k : path + "." + k;
      ProtobufSchema.Field f = known.get(k);
      if (f == null) {
        out.add(at);
        return;
      }
      if (f.kind() != ProtobufSchema.Kind.MESSAGE) {
        return;
      }
      ProtobufSchema.Message child = ProtobufSchema.message(f.message());
      JsonNode v = e.getValue();
      if (f.map()) {
        v.fields().forEachRemaining(me -> walk(me.getValue(), child, at + "." + me.getKey(), patch, out));
      } else if (f.repeated()) {
        for (int i = 0; i < v.size(); i++) {
          walk(v.get(i), child, at + "[" + i + "]", patch, out);
        }
      } else {
        walk(v, child, at, patch, out);
      }
    });
  }

  /** The JSON field names of a message, embedded structs' fields included. */
  private static Map<String, ProtobufSchema.Field> names(ProtobufSchema.Message m) {
    return NAMES.computeIfAbsent(m.name(), k -> {
      Map<String, ProtobufSchema.Field> out = new HashMap<>(m.jsonOnly());
      for (ProtobufSchema.Field f : m.fields().values()) {
        if (f.inline()) {
          out.putAll(names(ProtobufSchema.message(f.message())));
        } else {
          out.put(f.name(), f);
        }
      }
      return Map.copyOf(out);
    });
  }

  /** Paths of the fields given more than once in one object, in document order. */
  static List<String> duplicates(JsonFactory factory, byte[] body) throws IOException {
    List<String> out = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    try (JsonParser p = factory.createParser(body)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT -> stack.push(new Frame(new HashSet<>(), childPath(stack)));
          case START_ARRAY -> stack.push(new Frame(null, childPath(stack)));
          case END_OBJECT, END_ARRAY -> {
            stack.pop();
            valueDone(stack);
          }
          case FIELD_NAME -> {
            Frame f = stack.peek();
            f.field = p.currentName();
            if (!f.keys.add(f.field)) {
              out.add(f.path.isEmpty() ? f.field : f.path + "." + f.field);
            }
          }
          default -> valueDone(stack);
        }
      }
    }
    return out;
  }

  private static String childPath(Deque<Frame> stack) {
    Frame top = stack.peek();
    if (top == null) {
      return "";
    }
    if (top.keys == null) {
      return top.path + "[" + top.index + "]";
    }
    return top.path.isEmpty() ? top.field : top.path + "." + top.field;
  }

  private static void valueDone(Deque<Frame> stack) {
    Frame top = stack.peek();
    if (top != null && top.keys == null) {
      top.index++;
    }
  }

  /** An open object (keys seen so far) or array (index of the next element). */
  private static final class Frame {
    final Set<String> keys;
    final String path;
    String field = "";
    int index;

    Frame(Set<String> keys, String path) {
      this.keys = keys;
      this.path = path;
    }
  }
}
