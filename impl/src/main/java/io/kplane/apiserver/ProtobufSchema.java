package io.kplane.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The field numbers, names and types of the Kubernetes protobuf messages this server decodes, read
 * from {@code protobuf-schema.txt} (a table of the upstream {@code generated.proto} facts: one
 * line per message). Only the wire facts are kept; the JSON names are those of the Go json tags,
 * which the generated proto field names match.
 */
final class ProtobufSchema {

  /** How a field's value is represented. */
  enum Kind { STRING, INT32, INT64, BOOL, BYTES, MESSAGE, TIME, MICRO_TIME, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1, ANY }

  /**
   * One field.
   *
   * @param number     the protobuf field number
   * @param name       the JSON name, or null for an embedded struct whose fields are inlined
   * @param kind       the representation
   * @param message    the message name (kind MESSAGE, or the value type of a map of messages)
   * @param repeated   a list
   * @param map        a map with string keys (value given by kind/message)
   * @param keepZero   a Go pointer field: an explicit zero value is kept (omitempty drops other zeros)
   */
  record Field(int number, String name, Kind kind, String message, boolean repeated, boolean map, boolean keepZero) {
    boolean inline() {
      return name == null;
    }
  }

  /**
   * A message: its fields by number, and the JSON fields whose wire number is not recorded (known
   * names for fieldValidation, never decoded).
   */
  record Message(String name, Map<Integer, Field> fields, Map<String, Field> jsonOnly) {
  }

  private static final Map<String, Message> MESSAGES = load();

  private ProtobufSchema() {
  }

  static Message message(String name) {
    return MESSAGES.get(name);
  }

  private static Map<String, Message> load() {
    String text;
    try (InputStream in = ProtobufSchema.class.getResourceAsStream("protobuf-schema.txt")) {
      if (in == null) {
        throw new IllegalStateException("protobuf-schema.txt is missing from the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Message> out = new HashMap<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String name = line.substring(0, eq).strip();
      Map<Integer, Field> fields = new HashMap<>();
      Map<String, Field> jsonOnly = new HashMap<>();
      for (String f : line.substring(eq + 1).split(",")) {
        Field field = parseField(name, f.strip());
        if (field.number() == 0) {
          jsonOnly.put(field.name(), field);
        } else if (fields.put(field.number(), field) != null) {
          throw new IllegalStateException(name + ": field number " + field.number() + " twice");
        }
      }
      out.put(name, new Message(name, fields, jsonOnly));
    }
    for (Message m : out.values()) {
      for (Field f : m.fields().values()) {
        if (f.message() != null && !out.containsKey(f.message())) {
          throw new IllegalStateException(m.name() + "." + f.name() + ": unknown message " + f.message());
        }
      }
    }
    return Map.copyOf(out);
  }

  private static Field parseField(String message, String spec) {
    String[] p = spec.split("\\s+");
    if (p.length != 3) {
      throw new IllegalStateException(message + ": cannot read field '" + spec + "'");
    }
    int number = Integer.parseInt(p[0]);
    String name = p[1];
    boolean keepZero = name.endsWith("?");
    if (keepZero) {
      name = name.substring(0, name.length() - 1);
    }
    String type = p[2];
    boolean repeated = type.startsWith("[]");
    if (repeated) {
      type = type.substring(2);
    }
    boolean map = type.startsWith("map<");
    if (map) {
      type = type.substring(4, type.length() - 1);
    }
    Kind kind = switch (type) {
      case "string" -> Kind.STRING;
      case "int32" -> Kind.INT32;
      case "int64" -> Kind.INT64;
      case "bool" -> Kind.BOOL;
      case "bytes" -> Kind.BYTES;
      case "Time" -> Kind.TIME;
      case "MicroTime" -> Kind.MICRO_TIME;
      case "Quantity" -> Kind.QUANTITY;
      case "IntOrString" -> Kind.INT_OR_STRING;
      case "RawExtension" -> Kind.RAW_EXTENSION;
      case "FieldsV1" -> Kind.FIELDS_V1;
      case "any" -> Kind.ANY;
      default -> Kind.MESSAGE;
    };
    return new Field(number, name.equals("-") ? null : name, kind, kind == Kind.MESSAGE ? type : null, repeated, map, keepZero);
  }
}
