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

  /** A copy with other fields unknown to this model (written back as they are). */
  public HttpHeader withExtra(Map<String, Object> extra) {
    return new HttpHeader(name, value, extra);
  }
}
