package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** Pod affinity or anti-affinity (the two have the same shape). */
public record PodAffinity(
    List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution,
    List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodAffinity {
    requiredDuringSchedulingIgnoredDuringExecution = Immutable.list(requiredDuringSchedulingIgnoredDuringExecution);
    preferredDuringSchedulingIgnoredDuringExecution = Immutable.list(preferredDuringSchedulingIgnoredDuringExecution);
    extra = Immutable.map(extra);
  }
}
