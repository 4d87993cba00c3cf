package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Node affinity and pod (anti-)affinity of a pod. */
public record Affinity(
    NodeAffinity nodeAffinity,
    PodAffinity podAffinity,
    PodAffinity podAntiAffinity,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Affinity {
    extra = Immutable.map(extra);
  }

  public Affinity withNodeAffinity(NodeAffinity nodeAffinity) {
    return new Affinity(nodeAffinity, podAffinity, podAntiAffinity, extra);
  }

  public Affinity withPodAffinity(PodAffinity podAffinity) {
    return new Affinity(nodeAffinity, podAffinity, podAntiAffinity, extra);
  }

  public Affinity withPodAntiAffinity(PodAffinity podAntiAffinity) {
    return new Affinity(nodeAffinity, podAffinity, podAntiAffinity, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Affinity withExtra(Map<String, Object> extra) {
    return new Affinity(nodeAffinity, podAffinity, podAntiAffinity, extra);
  }
}
