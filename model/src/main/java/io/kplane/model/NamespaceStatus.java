package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The phase (Active, Terminating) and conditions of a namespace. */
public record NamespaceStatus(
    String phase,
    List<Condition> conditions,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NamespaceStatus {
    conditions = Immutable.list(conditions);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public NamespaceStatus withExtra(Map<String, Object> extra) {
    return new NamespaceStatus(phase, conditions, extra);
  }
}
