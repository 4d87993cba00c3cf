package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** ClientIP session affinity: stickiness timeout (default 10800 s). */
public record ClientIPConfig(
    Integer timeoutSeconds,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ClientIPConfig {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ClientIPConfig withExtra(Map<String, Object> extra) {
    return new ClientIPConfig(timeoutSeconds, extra);
  }

  public int timeoutSecondsOrDefault() {
    return timeoutSeconds != null ? timeoutSeconds : 10800;
  }
}
