package io.kplane.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;

/**
 * A value that is either an integer or a string (intstr.IntOrString): a port number or a port
 * name ({@code targetPort}), an absolute count or a percentage ({@code maxSurge: 25%}). Written
 * as a JSON number or string, as it was given.
 */
@JsonSerialize(using = IntOrString.Serializer.class)
@JsonDeserialize(using = IntOrString.Deserializer.class)
public record IntOrString(Integer intValue, String stringValue) {

  public IntOrString {
    if ((intValue == null) == (stringValue == null)) {
      throw new IllegalArgumentException("IntOrString holds exactly one of an int and a string");
    }
  }

  public static IntOrString of(int value) {
    return new IntOrString(value, null);
  }

  public static IntOrString of(String value) {
    return new IntOrString(null, value);
  }

  public boolean isInt() {
    return intValue != null;
  }

  /**
   * The absolute value for a total: an int as is, {@code "N%"} as N percent of {@code total},
   * rounded up or down (as intstr.GetScaledValueFromIntOrPercent: maxSurge rounds up,
   * maxUnavailable down). A string that is not a percentage raises IllegalArgumentException.
   */
  public int scaledValue(int total, boolean roundUp) {
    if (intValue != null) {
      return intValue;
    }
    if (!stringValue.endsWith("%")) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage: \"" + stringValue + "\"");
    }
    int percent;
    try {
      percent = Integer.parseInt(stringValue.substring(0, stringValue.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + stringValue + "\": not an integer percentage");
    }
    long scaled = (long) percent * total;
    return (int) (roundUp ? -Math.floorDiv(-scaled, 100L) : Math.floorDiv(scaled, 100L));
  }

  @Override
  public String toString() {
    return intValue != null ? intValue.toString() : stringValue;
  }

  static final class Serializer extends JsonSerializer<IntOrString> {
    @Override
    public void serialize(IntOrString v, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      if (v.intValue != null) {
        gen.writeNumber(v.intValue);
      } else {
        gen.writeString(v.stringValue);
      }
    }
  }

  static final class Deserializer extends JsonDeserializer<IntOrString> {
    @Override
    public IntOrString deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return of(p.getIntValue());
      }
      if (t == JsonToken.VALUE_STRING) {
        return of(p.getText());
      }
      return (IntOrString) ctxt.handleUnexpectedToken(IntOrString.class, p);
    }
  }
}
