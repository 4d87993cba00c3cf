package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Recreate or RollingUpdate (the default). */
public record DeploymentStrategy(
    String type,
    RollingUpdateDeployment rollingUpdate,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public DeploymentStrategy {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public DeploymentStrategy withExtra(Map<String, Object> extra) {
    return new DeploymentStrategy(type, rollingUpdate, extra);
  }
}
