package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The finalizers of a namespace. */
public record NamespaceSpec(
    List<String> finalizers,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NamespaceSpec {
    finalizers = Immutable.list(finalizers);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public NamespaceSpec withExtra(Map<String, Object> extra) {
    return new NamespaceSpec(finalizers, extra);
  }
}
