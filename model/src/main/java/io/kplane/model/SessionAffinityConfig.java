package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Session affinity settings of a service. */
public record SessionAffinityConfig(
    ClientIPConfig clientIP,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public SessionAffinityConfig {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public SessionAffinityConfig withExtra(Map<String, Object> extra) {
    return new SessionAffinityConfig(clientIP, extra);
  }
}
