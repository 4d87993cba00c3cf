package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;

/**
 * A status condition. Kubernetes has one type per kind (PodCondition, NodeCondition,
 * DeploymentCondition, …) with the same core; this record is their union, unused times omitted.
 */
public record Condition(
    String type,
    String status,
    String reason,
    String message,
    Instant lastProbeTime,
    Instant lastHeartbeatTime,
    Instant lastUpdateTime,
    Instant lastTransitionTime,
    Long observedGeneration,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public Condition {
    extra = Immutable.map(extra);
  }

  public static Condition of(String type, String status, String reason, String message, Instant lastTransitionTime) {
    return new Condition(type, status, reason, message, null, null, null, lastTransitionTime, null, null);
  }

  public boolean statusTrue() {
    return TRUE.equals(status);
  }

  public Condition withStatus(String status) {
    return new Condition(type, status, reason, message, lastProbeTime, lastHeartbeatTime, lastUpdateTime, lastTransitionTime, observedGeneration, extra);
  }

  public Condition withReasonAndMessage(String reason, String message) {
    return new Condition(type, status, reason, message, lastProbeTime, lastHeartbeatTime, lastUpdateTime, lastTransitionTime, observedGeneration, extra);
  }

  public Condition withLastHeartbeatTime(Instant lastHeartbeatTime) {
    return new Condition(type, status, reason, message, lastProbeTime, lastHeartbeatTime, lastUpdateTime, lastTransitionTime, observedGeneration, extra);
  }

  public Condition withLastTransitionTime(Instant lastTransitionTime) {
    return new Condition(type, status, reason, message, lastProbeTime, lastHeartbeatTime, lastUpdateTime, lastTransitionTime, observedGeneration, extra);
  }

  /** The condition of the given type in {@code conditions}, or null. */
  public static Condition find(java.util.List<Condition> conditions, String type) {
    for (Condition c : conditions) {
      if (type.equals(c.type())) {
        return c;
      }
    }
    return null;
  }
}
