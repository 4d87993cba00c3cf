package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A header sent by an HTTP probe. */
public record HttpHeader(
    String name,
    String value,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public HttpHeader {
    extra = Immutable.map(extra);
  }
}
