package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The desired state of a replica set. */
public record ReplicaSetSpec(
    Integer replicas,
    Integer minReadySeconds,
    LabelSelector selector,
    PodTemplateSpec template,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ReplicaSetSpec {
    extra = Immutable.map(extra);
  }

  public ReplicaSetSpec withReplicas(Integer replicas) {
    return new ReplicaSetSpec(replicas, minReadySeconds, selector, template, extra);
  }

  public ReplicaSetSpec withMinReadySeconds(Integer minReadySeconds) {
    return new ReplicaSetSpec(replicas, minReadySeconds, selector, template, extra);
  }

  public ReplicaSetSpec withSelector(LabelSelector selector) {
    return new ReplicaSetSpec(replicas, minReadySeconds, selector, template, extra);
  }

  public ReplicaSetSpec withTemplate(PodTemplateSpec template) {
    return new ReplicaSetSpec(replicas, minReadySeconds, selector, template, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ReplicaSetSpec withExtra(Map<String, Object> extra) {
    return new ReplicaSetSpec(replicas, minReadySeconds, selector, template, extra);
  }

  /** Replicas; 1 when unset, as the API server defaults it. */
  public int replicasOrDefault() {
    return replicas != null ? replicas : 1;
  }
}
