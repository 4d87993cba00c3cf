package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** Required (filter) and preferred (score) node affinity. */
public record NodeAffinity(
    NodeSelector requiredDuringSchedulingIgnoredDuringExecution,
    List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeAffinity {
    preferredDuringSchedulingIgnoredDuringExecution = Immutable.list(preferredDuringSchedulingIgnoredDuringExecution);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public NodeAffinity withExtra(Map<String, Object> extra) {
    return new NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution, preferredDuringSchedulingIgnoredDuringExecution, extra);
  }
}
