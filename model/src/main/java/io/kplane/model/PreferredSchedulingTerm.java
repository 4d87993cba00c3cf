package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A weighted node selector term (weight 1-100). */
public record PreferredSchedulingTerm(
    Integer weight,
    NodeSelectorTerm preference,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PreferredSchedulingTerm {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PreferredSchedulingTerm withExtra(Map<String, Object> extra) {
    return new PreferredSchedulingTerm(weight, preference, extra);
  }
}
