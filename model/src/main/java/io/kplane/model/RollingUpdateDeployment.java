package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Rolling update bounds: counts or percentages (defaults 25%/25%). */
public record RollingUpdateDeployment(
    IntOrString maxUnavailable,
    IntOrString maxSurge,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public RollingUpdateDeployment {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public RollingUpdateDeployment withExtra(Map<String, Object> extra) {
    return new RollingUpdateDeployment(maxUnavailable, maxSurge, extra);
  }
}
