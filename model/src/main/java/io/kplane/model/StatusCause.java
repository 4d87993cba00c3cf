package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** One cause of a failure, e.g. reason FieldValueRequired for field spec.containers. */
public record StatusCause(
    String reason,
    String message,
    String field,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public StatusCause {
    extra = Immutable.map(extra);
  }

  public static StatusCause of(String reason, String message, String field) {
    return new StatusCause(reason, message, field, null);
  }
}
