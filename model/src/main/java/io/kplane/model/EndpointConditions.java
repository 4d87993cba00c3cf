package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Readiness of an endpoint. Unset ready means ready; unset serving means as ready. */
public record EndpointConditions(
    Boolean ready,
    Boolean serving,
    Boolean terminating,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public EndpointConditions {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public EndpointConditions withExtra(Map<String, Object> extra) {
    return new EndpointConditions(ready, serving, terminating, extra);
  }

  /** Ready as consumers must read it: nil means true. */
  public boolean readyOrDefault() {
    return ready == null || ready;
  }

  /** Serving: nil means the same as ready. */
  public boolean servingOrDefault() {
    return serving != null ? serving : readyOrDefault();
  }

  public boolean terminatingOrDefault() {
    return terminating != null && terminating;
  }
}
