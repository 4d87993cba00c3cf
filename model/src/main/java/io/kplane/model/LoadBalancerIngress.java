package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** An ingress point of a load balancer. */
public record LoadBalancerIngress(
    String ip,
    String hostname,
    String ipMode,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public LoadBalancerIngress {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public LoadBalancerIngress withExtra(Map<String, Object> extra) {
    return new LoadBalancerIngress(ip, hostname, ipMode, extra);
  }
}
