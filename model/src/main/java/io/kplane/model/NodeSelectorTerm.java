package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * A node selector term: all matchExpressions (on labels) and matchFields (on fields; only
 * {@code metadata.name} exists) must hold. A term with neither matches no node.
 */
public record NodeSelectorTerm(
    List<NodeSelectorRequirement> matchExpressions,
    List<NodeSelectorRequirement> matchFields,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeSelectorTerm {
    matchExpressions = Immutable.list(matchExpressions);
    matchFields = Immutable.list(matchFields);
    extra = Immutable.map(extra);
  }

  public static NodeSelectorTerm of(NodeSelectorRequirement... matchExpressions) {
    return new NodeSelectorTerm(List.of(matchExpressions), null, null);
  }

  /** Whether a node with these labels and name matches; an invalid term matches nothing (as upstream). */
  public boolean matches(Map<String, String> nodeLabels, String nodeName) {
    return NodeMatcher.of(List.of(this)).matches(nodeLabels, nodeName);
  }
}
