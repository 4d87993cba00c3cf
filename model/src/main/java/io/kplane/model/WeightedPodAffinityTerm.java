package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A weighted pod affinity term (weight 1-100). */
public record WeightedPodAffinityTerm(
    Integer weight,
    PodAffinityTerm podAffinityTerm,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public WeightedPodAffinityTerm {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public WeightedPodAffinityTerm withExtra(Map<String, Object> extra) {
    return new WeightedPodAffinityTerm(weight, podAffinityTerm, extra);
  }
}
