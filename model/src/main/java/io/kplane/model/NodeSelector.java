package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** Required node affinity: the terms are ORed; no terms match no node. */
public record NodeSelector(
    List<NodeSelectorTerm> nodeSelectorTerms,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeSelector {
    nodeSelectorTerms = Immutable.list(nodeSelectorTerms);
    extra = Immutable.map(extra);
  }

  public static NodeSelector of(NodeSelectorTerm... terms) {
    return new NodeSelector(List.of(terms), null);
  }

  /** Compiles once for matching many nodes. */
  public NodeMatcher toMatcher() {
    return NodeMatcher.of(nodeSelectorTerms);
  }

  public boolean matches(Node node) {
    return toMatcher().matches(node);
  }
}
