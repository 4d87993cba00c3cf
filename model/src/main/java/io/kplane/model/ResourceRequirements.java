package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Resource requests and limits of a container ({@code cpu}, {@code memory}, …). */
public record ResourceRequirements(
    Map<String, Quantity> requests,
    Map<String, Quantity> limits,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ResourceRequirements {
    requests = Immutable.map(requests);
    limits = Immutable.map(limits);
    extra = Immutable.map(extra);
  }

  public ResourceRequirements withRequests(Map<String, Quantity> requests) {
    return new ResourceRequirements(requests, limits, extra);
  }

  public ResourceRequirements withLimits(Map<String, Quantity> limits) {
    return new ResourceRequirements(requests, limits, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ResourceRequirements withExtra(Map<String, Object> extra) {
    return new ResourceRequirements(requests, limits, extra);
  }

  public static final ResourceRequirements EMPTY = new ResourceRequirements(null, null, null);

  public static ResourceRequirements of(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    return new ResourceRequirements(requests, limits, null);
  }
}
