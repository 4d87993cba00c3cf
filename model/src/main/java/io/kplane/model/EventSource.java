package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The component (and host) that reported an event. */
public record EventSource(
    String component,
    String host,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public EventSource {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public EventSource withExtra(Map<String, Object> extra) {
    return new EventSource(component, host, extra);
  }
}
