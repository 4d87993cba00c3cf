package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** How to spread matching pods across topology domains. */
public record TopologySpreadConstraint(
    Integer maxSkew,
    String topologyKey,
    String whenUnsatisfiable,
    LabelSelector labelSelector,
    Integer minDomains,
    String nodeAffinityPolicy,
    String nodeTaintsPolicy,
    List<String> matchLabelKeys,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public TopologySpreadConstraint {
    matchLabelKeys = Immutable.list(matchLabelKeys);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public TopologySpreadConstraint withExtra(Map<String, Object> extra) {
    return new TopologySpreadConstraint(maxSkew, topologyKey, whenUnsatisfiable, labelSelector, minDomains, nodeAffinityPolicy, nodeTaintsPolicy, matchLabelKeys, extra);
  }
}
