package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON/YAML codec of the API model, configured like the Kubernetes API machinery: empty
 * fields are omitted, timestamps are RFC 3339 in UTC with seconds ({@code 2024-01-02T03:04:05Z};
 * MicroTime fields carry 6 fractional digits), quantities are canonical strings, unknown fields
 * are kept. Reading {@link ApiObject}/{@link KubeObject} dispatches on apiVersion/kind.
 *
 * <p>{@link #readAll(String)} reads what {@code kubectl get -o yaml|json} prints: one object, a
 * {@code List} (or {@code PodList}, …), or several YAML documents separated by {@code ---}.
 * Errors are {@link CodecException}s with Jackson's location in the message.
 */
public final class Json {
  private Json() {}

  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .stringQuotingChecker(new YamlQuoting())
      .build()));

  /**
   * Quotes, beyond Jackson's defaults, strings that YAML 1.1 readers would otherwise take for a
   * timestamp ({@code 2024-01-02T03:04:05Z}) or a sexagesimal number ({@code 10:30}), as kubectl does.
   */
  private static final class YamlQuoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final Pattern DATE_LIKE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt ].*)?");
    private static final Pattern SEXAGESIMAL = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || DATE_LIKE.matcher(value).matches() || SEXAGESIMAL.matcher(value).matches();
    }
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    SimpleModule module = new SimpleModule("kplane-model");
    module.addSerializer(Instant.class, new TimeSerializer());
    module.addDeserializer(Instant.class, new TimeDeserializer());
    module.addDeserializer(ApiObject.class, new ApiObjectDeserializer<>(ApiObject.class));
    module.addDeserializer(KubeObject.class, new ApiObjectDeserializer<>(KubeObject.class));
    mapper.registerModule(module);
    mapper.setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS));
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // Unknown numeric fields keep their exact decimal text through a round trip.
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    return mapper;
  }

  /** The configured JSON mapper (shared; do not reconfigure). */
  public static ObjectMapper jsonMapper() {
    return JSON;
  }

  /** The configured YAML mapper (shared; do not reconfigure). */
  public static ObjectMapper yamlMapper() {
    return YAML;
  }

  // ------------------------------------------------------------------------------------ writing

  /** Compact JSON. */
  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Compact JSON as UTF-8 bytes. */
  public static byte[] writeBytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Indented JSON. */
  public static String writePretty(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** YAML, without a leading {@code ---}. */
  public static String writeYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------------ reading

  /** Reads JSON or YAML (JSON when the text starts with '{' or '['). */
  public static <T> T read(String text, Class<T> type) {
    return read(text, JSON.constructType(type));
  }

  /** Reads JSON or YAML into a generic type, e.g. {@code KubeList<Pod>}. */
  public static <T> T read(String text, JavaType type) {
    try {
      return mapperFor(text).readValue(text, type);
    } catch (IOException e) {
      throw decodeError(type, e);
    }
  }

  /** Reads UTF-8 JSON. */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw decodeError(JSON.constructType(type), e);
    }
  }

  /** Reads UTF-8 JSON into a generic type. */
  public static <T> T read(byte[] json, JavaType type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw decodeError(type, e);
    }
  }

  /** Reads any object, list or Status, typed by its apiVersion/kind. */
  public static ApiObject readObject(String text) {
    return read(text, ApiObject.class);
  }

  /** A typed list such as a PodList. */
  public static <T> KubeList<T> readList(String text, Class<T> itemType) {
    return read(text, listType(itemType));
  }

  /**
   * A watch event whose object is of the given type. An ERROR event carries a {@link Status}: it
   * is returned as such when {@code objectType} can hold it ({@code ApiObject}, {@code Object}),
   * otherwise it raises {@link WatchErrorException} with that Status.
   */
  public static <T> WatchEvent<T> readWatchEvent(byte[] json, Class<T> objectType) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (IOException e) {
      throw decodeError(JSON.constructType(WatchEvent.class), e);
    }
    if (tree == null || !tree.isObject() || !tree.path("type").isTextual()) {
      throw new CodecException("cannot decode WatchEvent: expected an object with a type", null);
    }
    String type = tree.path("type").asText();
    try {
      if (WatchEvent.ERROR.equals(type)) {
        Status status = JSON.treeToValue(tree.path("object"), Status.class);
        if (!objectType.isAssignableFrom(Status.class)) {
          throw new WatchErrorException(status);
        }
        return new WatchEvent<>(type, objectType.cast(status));
      }
      return new WatchEvent<>(type, JSON.treeToValue(tree.path("object"), objectType));
    } catch (JsonProcessingException e) {
      throw decodeError(JSON.constructType(objectType), e);
    }
  }

  public static JavaType listType(Class<?> itemType) {
    return JSON.getTypeFactory().constructParametricType(KubeList.class, itemType);
  }

  /**
   * Every object in the text: a single object, the items of a list, or the objects of several
   * YAML documents (empty documents are skipped). Each is typed by its apiVersion/kind.
   */
  public static List<KubeObject> readAll(String text) {
    List<KubeObject> out = new ArrayList<>();
    ObjectMapper mapper = mapperFor(text);
    try (MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(text)) {
      int number = 0;
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        number++;
        // Empty YAML documents ("---" followed by nothing) come back as null or "".
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty() && doc.isObject()
            || doc.isTextual() && doc.asText().isBlank()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new CodecException("expected an object, found " + doc.getNodeType() + " in document " + number, null);
        }
        if (Kinds.isList(doc.path("kind").asText(null))) {
          for (JsonNode item : doc.path("items")) {
            out.add(mapper.treeToValue(item, KubeObject.class));
          }
        } else {
          out.add(mapper.treeToValue(doc, KubeObject.class));
        }
      }
    } catch (IOException e) {
      throw decodeError(JSON.constructType(KubeObject.class), e);
    }
    return out;
  }

  /** The objects of the given type in the text ({@link #readAll(String)}, other kinds skipped). */
  public static <T extends KubeObject> List<T> readAll(String text, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (KubeObject o : readAll(text)) {
      if (type.isInstance(o)) {
        out.add(type.cast(o));
      }
    }
    return out;
  }

  /** Converts between representations (e.g. a Map or JsonNode to a record). */
  public static <T> T convert(Object value, Class<T> type) {
    try {
      return JSON.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      throw new CodecException("cannot convert to " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** The JSON tree of a value. */
  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  private static ObjectMapper mapperFor(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' || c == '[') {
        return JSON;
      }
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return YAML;
      }
    }
    return YAML;
  }

  private static CodecException decodeError(JavaType type, IOException e) {
    String what = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    String where = "";
    if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
      where = " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
    }
    String path = "";
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme && !jme.getPath().isEmpty()) {
      path = " (field " + jme.getPathReference().replaceAll("io\\.kplane\\.model\\.", "") + ")";
    }
    return new CodecException("cannot decode " + type.getRawClass().getSimpleName() + where + path + ": " + what, e);
  }

  // ------------------------------------------------------------------------------ time codecs

  /** metav1.Time: RFC 3339 in UTC, whole seconds. */
  static final class TimeSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.SECONDS)));
    }
  }

  /** metav1.MicroTime: RFC 3339 in UTC with exactly 6 fractional digits. */
  public static final class MicroTimeSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(MICRO.format(value));
    }
  }

  /** Any RFC 3339 timestamp (fractional seconds and offsets accepted). */
  static final class TimeDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      String text = p.getText();
      if (text.isEmpty()) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 timestamp");
      }
    }
  }

  // ------------------------------------------------------------------------ kind dispatching

  /** Reads an object and picks its record by apiVersion/kind ({@link Kinds}). */
  static final class ApiObjectDeserializer<T extends ApiObject> extends JsonDeserializer<T> {
    private final Class<T> target;

    ApiObjectDeserializer(Class<T> target) {
      this.target = target;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = ctxt.readTree(p);
      if (!node.isObject()) {
        return target.cast(ctxt.handleUnexpectedToken(target, p));
      }
      String apiVersion = node.path("apiVersion").asText("");
      String kind = node.path("kind").asText("");
      JavaType type;
      if (kind.equals("Status") && target == ApiObject.class) {
        type = ctxt.constructType(Status.class);
      } else if (Kinds.isList(kind) && target == ApiObject.class) {
        type = ctxt.getTypeFactory().constructParametricType(KubeList.class, KubeObject.class);
      } else if (kind.isEmpty()) {
        return target.cast(ctxt.reportInputMismatch(target, "object has no kind"));
      } else {
        type = ctxt.constructType(Kinds.objectClass(apiVersion, kind));
      }
      return target.cast(ctxt.readTreeAsValue(node, type));
    }
  }
}
