package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The observed state of a deployment. */
public record DeploymentStatus(
    Long observedGeneration,
    Integer replicas,
    Integer updatedReplicas,
    Integer readyReplicas,
    Integer availableReplicas,
    Integer unavailableReplicas,
    List<Condition> conditions,
    Integer collisionCount,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public DeploymentStatus {
    conditions = Immutable.list(conditions);
    extra = Immutable.map(extra);
  }

  public DeploymentStatus withObservedGeneration(Long observedGeneration) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withReplicas(Integer replicas) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withUpdatedReplicas(Integer updatedReplicas) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withReadyReplicas(Integer readyReplicas) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withAvailableReplicas(Integer availableReplicas) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withUnavailableReplicas(Integer unavailableReplicas) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withConditions(List<Condition> conditions) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  public DeploymentStatus withCollisionCount(Integer collisionCount) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public DeploymentStatus withExtra(Map<String, Object> extra) {
    return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, conditions, collisionCount, extra);
  }
}
