package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A scheduling gate: the pod is not scheduled while any is present. */
public record PodSchedulingGate(
    String name,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodSchedulingGate {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodSchedulingGate withExtra(Map<String, Object> extra) {
    return new PodSchedulingGate(name, extra);
  }
}
