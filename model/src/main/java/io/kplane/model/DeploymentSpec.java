package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The desired state of a deployment. */
public record DeploymentSpec(
    Integer replicas,
    LabelSelector selector,
    PodTemplateSpec template,
    DeploymentStrategy strategy,
    Integer minReadySeconds,
    Integer revisionHistoryLimit,
    Boolean paused,
    Integer progressDeadlineSeconds,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public DeploymentSpec {
    extra = Immutable.map(extra);
  }

  public DeploymentSpec withReplicas(Integer replicas) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withSelector(LabelSelector selector) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withTemplate(PodTemplateSpec template) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withStrategy(DeploymentStrategy strategy) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withMinReadySeconds(Integer minReadySeconds) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withRevisionHistoryLimit(Integer revisionHistoryLimit) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withPaused(Boolean paused) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  public DeploymentSpec withProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public DeploymentSpec withExtra(Map<String, Object> extra) {
    return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused, progressDeadlineSeconds, extra);
  }

  /** Replicas; 1 when unset, as the API server defaults it. */
  public int replicasOrDefault() {
    return replicas != null ? replicas : 1;
  }
}
