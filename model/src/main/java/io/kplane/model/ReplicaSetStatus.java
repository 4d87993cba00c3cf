package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The observed state of a replica set. */
public record ReplicaSetStatus(
    Integer replicas,
    Integer fullyLabeledReplicas,
    Integer readyReplicas,
    Integer availableReplicas,
    Long observedGeneration,
    List<Condition> conditions,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ReplicaSetStatus {
    conditions = Immutable.list(conditions);
    extra = Immutable.map(extra);
  }

  public ReplicaSetStatus withReplicas(Integer replicas) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }

  public ReplicaSetStatus withFullyLabeledReplicas(Integer fullyLabeledReplicas) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }

  public ReplicaSetStatus withReadyReplicas(Integer readyReplicas) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }

  public ReplicaSetStatus withAvailableReplicas(Integer availableReplicas) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }

  public ReplicaSetStatus withObservedGeneration(Long observedGeneration) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }

  public ReplicaSetStatus withConditions(List<Condition> conditions) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ReplicaSetStatus withExtra(Map<String, Object> extra) {
    return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions, extra);
  }
}
