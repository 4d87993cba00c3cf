package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** Pods selected by labelSelector in the given namespaces (or namespaceSelector), co-located by topologyKey. */
public record PodAffinityTerm(
    LabelSelector labelSelector,
    List<String> namespaces,
    String topologyKey,
    LabelSelector namespaceSelector,
    List<String> matchLabelKeys,
    List<String> mismatchLabelKeys,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodAffinityTerm {
    namespaces = Immutable.list(namespaces);
    matchLabelKeys = Immutable.list(matchLabelKeys);
    mismatchLabelKeys = Immutable.list(mismatchLabelKeys);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodAffinityTerm withExtra(Map<String, Object> extra) {
    return new PodAffinityTerm(labelSelector, namespaces, topologyKey, namespaceSelector, matchLabelKeys, mismatchLabelKeys, extra);
  }
}
