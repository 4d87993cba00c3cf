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

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodAffinity withExtra(Map<String, Object> extra) {
    return new PodAffinity(requiredDuringSchedulingIgnoredDuringExecution, preferredDuringSchedulingIgnoredDuringExecution, extra);
  }
}
