package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Decodes a Kubernetes protobuf request body ({@code application/vnd.kubernetes.protobuf}) into
 * the JSON object model the registry works on: the {@code k8s\0} magic, the
 * {@code runtime.Unknown} envelope (typeMeta, raw), then the typed message read with
 * {@link ProtobufSchema}.
 *
 * <p>The JSON is what Go's encoding/json would write for the same object: zero scalars of
 * non-pointer fields are omitted (as {@code omitempty} does; the Go marshaller writes them on the
 * wire anyway), pointer fields keep an explicit zero, Time/MicroTime become RFC 3339 strings,
 * Quantity a string, IntOrString a number or string, maps JSON objects, embedded structs are
 * inlined. A field number the schema does not know is skipped (upstream's decoder drops unknown
 * protobuf fields too) and reported as a warning so that the client learns about it.
 */
final class ProtobufDecoder {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  /** The kinds a request body may carry: the served objects and the bodies of their subresources. */
  private static final Set<String> TOP_LEVEL = Set.of("Namespace", "Pod", "Node", "Service", "Endpoints", "Event", "Deployment",
      "ReplicaSet", "Scale", "Eviction", "Binding", "DeleteOptions", "EndpointSlice", "Lease", "PriorityClass");

  /** The decoded object, and the warnings about what could not be decoded. */
  record Decoded(ObjectNode object, List<String> warnings) {
  }

  private ProtobufDecoder() {
  }

  static Decoded decode(byte[] body) {
    if (body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2] || body[3] != MAGIC[3]) {
      throw ApiException.badRequest("the protobuf body does not start with the Kubernetes protobuf prefix k8s\\x00");
    }
    try {
      Reader envelope = new Reader(body, MAGIC.length, body.length);
      String apiVersion = "";
      String kind = "";
      byte[] raw = null;
      String contentEncoding = "";
      while (envelope.more()) {
        long tag = envelope.varint();
        int number = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (number == 1 && wire == 2) {
          Reader typeMeta = envelope.sub();
          while (typeMeta.more()) {
            long t = typeMeta.varint();
            if (t == (1 << 3 | 2)) {
              apiVersion = typeMeta.string();
            } else if (t == (2 << 3 | 2)) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip((int) (t & 7));
            }
          }
        } else if (number == 2 && wire == 2) {
          raw = envelope.bytes();
        } else if (number == 3 && wire == 2) {
          contentEncoding = envelope.string();
        } else {
          envelope.skip(wire);
        }
      }
      if (!contentEncoding.isEmpty()) {
        throw unsupported("content encoding " + contentEncoding + " of the protobuf body is not supported");
      }
      if (kind.isEmpty() || raw == null) {
        throw ApiException.badRequest("the protobuf envelope carries no kind or no object");
      }
      ProtobufSchema.Message m = TOP_LEVEL.contains(kind) ? ProtobufSchema.message(kind) : null;
      if (m == null) {
        throw unsupported("protobuf bodies of kind " + kind + " are not decoded by this server; send application/json");
      }
      List<String> warnings = new ArrayList<>();
      ObjectNode fields = message(m, new Reader(raw, 0, raw.length), "", warnings);
      ObjectNode out = NODES.objectNode();
      out.put("apiVersion", apiVersion);
      out.put("kind", kind);
      out.setAll(fields);
      return new Decoded(out, warnings);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw ApiException.badRequest("the protobuf body is malformed: " + e.getMessage());
    }
  }

  private static ApiException unsupported(String message) {
    return new ApiException(io.kplane.model.Status.failure(415, "UnsupportedMediaType", message, null));
  }

  private static ObjectNode message(ProtobufSchema.Message m, Reader in, String path, List<String> warnings) {
    ObjectNode out = NODES.objectNode();
    while (in.more()) {
      long tag = in.varint();
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      ProtobufSchema.Field f = m.fields().get(number);
      if (f == null) {
        warnings.add("unknown field " + number + " of protobuf message " + m.name() + (path.isEmpty() ? "" : " at " + path)
            + " was dropped");
        in.skip(wire);
        continue;
      }
      String at = f.inline() ? path : path.isEmpty() ? f.name() : path + "." + f.name();
      if (f.map()) {
        Reader entry = in.sub();
        String key = "";
        JsonNode value = null;
        while (entry.more()) {
          long t = entry.varint();
          int n = (int) (t >>> 3);
          if (n == 1) {
            key = entry.string();
          } else if (n == 2) {
            value = value(f, (int) (t & 7), entry, at, warnings);
          } else {
            entry.skip((int) (t & 7));
          }
        }
        ObjectNode map = out.get(f.name()) instanceof ObjectNode o ? o : out.putObject(f.name());
        map.set(key, value != null ? value : zero(f));
      } else if (f.repeated()) {
        ArrayNode list = out.get(f.name()) instanceof ArrayNode a ? a : out.putArray(f.name());
        if (wire == 2 && isNumeric(f.kind())) {
          Reader packed = in.sub();
          while (packed.more()) {
            list.add(value(f, 0, packed, at, warnings));
          }
        } else {
          list.add(value(f, wire, in, at + "[" + list.size() + "]", warnings));
        }
      } else {
        JsonNode v = value(f, wire, in, at, warnings);
        if (f.inline()) {
          if (v instanceof ObjectNode o) {
            out.setAll(o);
          }
        } else if (v != null && (f.keepZero() || !isZero(v))) {
          out.set(f.name(), v);
        } else {
          out.remove(f.name());
        }
      }
    }
    return out;
  }

  private static boolean isNumeric(ProtobufSchema.Kind k) {
    return k == ProtobufSchema.Kind.INT32 || k == ProtobufSchema.Kind.INT64 || k == ProtobufSchema.Kind.BOOL;
  }

  private static boolean isZero(JsonNode v) {
    return v.isTextual() && v.asText().isEmpty() || v.isNumber() && v.asLong() == 0 || v.isBoolean() && !v.asBoolean();
  }

  private static JsonNode zero(ProtobufSchema.Field f) {
    return switch (f.kind()) {
      case INT32, INT64 -> NODES.numberNode(0);
      case BOOL -> NODES.booleanNode(false);
      case MESSAGE -> NODES.objectNode();
      default -> NODES.textNode("");
    };
  }

  /** One value of field {@code f}; null when the value means "unset" (a zero Time). */
  private static JsonNode value(ProtobufSchema.Field f, int wire, Reader in, String path, List<String> warnings) {
    switch (f.kind()) {
      case INT32 -> {
        expect(wire, 0, f);
        return NODES.numberNode((int) in.varint());
      }
      case INT64 -> {
        expect(wire, 0, f);
        return NODES.numberNode(in.varint());
      }
      case BOOL -> {
        expect(wire, 0, f);
        return NODES.booleanNode(in.varint() != 0);
      }
      case STRING -> {
        expect(wire, 2, f);
        return NODES.textNode(in.string());
      }
      case BYTES -> {
        expect(wire, 2, f);
        return NODES.textNode(Base64.getEncoder().encodeToString(in.bytes()));
      }
      default -> {
      }
    }
    expect(wire, 2, f);
    Reader sub = in.sub();
    switch (f.kind()) {
      case MESSAGE -> {
        return message(ProtobufSchema.message(f.message()), sub, path, warnings);
      }
      case TIME, MICRO_TIME -> {
        long seconds = 0;
        long nanos = 0;
        while (sub.more()) {
          long t = sub.varint();
          if (t == (1 << 3)) {
            seconds = sub.varint();
          } else if (t == (2 << 3)) {
            nanos = sub.varint();
          } else {
            sub.skip((int) (t & 7));
          }
        }
        if (seconds == 0 && nanos == 0) {
          return null;
        }
        Instant at = Instant.ofEpochSecond(seconds, nanos);
        return NODES.textNode(f.kind() == ProtobufSchema.Kind.TIME ? DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(
            java.time.temporal.ChronoUnit.SECONDS)) : MICRO.format(at));
      }
      case QUANTITY -> {
        String q = "";
        while (sub.more()) {
          long t = sub.varint();
          if (t == (1 << 3 | 2)) {
            q = sub.string();
          } else {
            sub.skip((int) (t & 7));
          }
        }
        return NODES.textNode(q);
      }
      case INT_OR_STRING -> {
        long type = 0;
        int intVal = 0;
        String strVal = "";
        while (sub.more()) {
          long t = sub.varint();
          if (t == (1 << 3)) {
            type = sub.varint();
          } else if (t == (2 << 3)) {
            intVal = (int) sub.varint();
          } else if (t == (3 << 3 | 2)) {
            strVal = sub.string();
          } else {
            sub.skip((int) (t & 7));
          }
        }
        return type == 1 ? NODES.textNode(strVal) : NODES.numberNode(intVal);
      }
      case RAW_EXTENSION, FIELDS_V1 -> {
        byte[] raw = new byte[0];
        while (sub.more()) {
          long t = sub.varint();
          if (t == (1 << 3 | 2)) {
            raw = sub.bytes();
          } else {
            sub.skip((int) (t & 7));
          }
        }
        try {
          return raw.length == 0 ? NODES.objectNode() : Registry.JSON.readTree(raw);
        } catch (IOException e) {
          warnings.add(path + ": embedded object is not JSON; kept as base64");
          return NODES.textNode(Base64.getEncoder().encodeToString(raw));
        }
      }
      default -> throw new IllegalStateException(f.kind().toString());
    }
  }

  private static void expect(int wire, int want, ProtobufSchema.Field f) {
    if (wire != want) {
      throw new IllegalArgumentException("field " + f.name() + " (" + f.number() + ") has wire type " + wire + ", expected " + want);
    }
  }

  /** A cursor over protobuf wire bytes; bounds are checked, so malformed input fails cleanly. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int pos, int end) {
      if (pos < 0 || end > b.length || pos > end) {
        throw new IndexOutOfBoundsException("length beyond the end of the body");
      }
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IndexOutOfBoundsException("truncated varint");
        }
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    private int length() {
      long n = varint();
      if (n < 0 || n > end - pos) {
        throw new IndexOutOfBoundsException("length " + n + " beyond the end of the body");
      }
      return (int) n;
    }

    Reader sub() {
      int n = length();
      Reader r = new Reader(b, pos, pos + n);
      pos += n;
      return r;
    }

    byte[] bytes() {
      int n = length();
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    String string() {
      int n = length();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw new IllegalArgumentException("unsupported wire type " + wire);
      }
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw new IndexOutOfBoundsException("field beyond the end of the body");
      }
      pos += n;
    }
  }
}
