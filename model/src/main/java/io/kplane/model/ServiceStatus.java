package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The observed state of a service. */
public record ServiceStatus(
    LoadBalancerStatus loadBalancer,
    List<Condition> conditions,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ServiceStatus {
    conditions = Immutable.list(conditions);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ServiceStatus withExtra(Map<String, Object> extra) {
    return new ServiceStatus(loadBalancer, conditions, extra);
  }
}
