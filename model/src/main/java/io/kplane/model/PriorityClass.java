package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A priority class (scheduling.k8s.io/v1), cluster-scoped. */
public record PriorityClass(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    Integer value,
    Boolean globalDefault,
    String description,
    String preemptionPolicy,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public PriorityClass {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public PriorityClass withMetadata(ObjectMeta metadata) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy, extra);
  }

  public PriorityClass withValue(Integer value) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy, extra);
  }

  public PriorityClass withGlobalDefault(Boolean globalDefault) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy, extra);
  }

  public PriorityClass withDescription(String description) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy, extra);
  }

  public PriorityClass withPreemptionPolicy(String preemptionPolicy) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PriorityClass withExtra(Map<String, Object> extra) {
    return new PriorityClass(apiVersion, kind, metadata, value, globalDefault, description, preemptionPolicy, extra);
  }

  public static final String API_VERSION = "scheduling.k8s.io/v1";
  public static final String KIND = "PriorityClass";
}
