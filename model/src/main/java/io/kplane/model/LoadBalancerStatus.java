package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The load balancer of a service. */
public record LoadBalancerStatus(
    List<LoadBalancerIngress> ingress,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public LoadBalancerStatus {
    ingress = Immutable.list(ingress);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public LoadBalancerStatus withExtra(Map<String, Object> extra) {
    return new LoadBalancerStatus(ingress, extra);
  }
}
