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
}
