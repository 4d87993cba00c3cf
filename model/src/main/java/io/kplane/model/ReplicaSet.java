package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A replica set (apps/v1). */
public record ReplicaSet(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ReplicaSetSpec spec,
    ReplicaSetStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public ReplicaSet {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public ReplicaSet withMetadata(ObjectMeta metadata) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status, extra);
  }

  public ReplicaSet withSpec(ReplicaSetSpec spec) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status, extra);
  }

  public ReplicaSet withStatus(ReplicaSetStatus status) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ReplicaSet withExtra(Map<String, Object> extra) {
    return new ReplicaSet(apiVersion, kind, metadata, spec, status, extra);
  }

  public static final String API_VERSION = "apps/v1";
  public static final String KIND = "ReplicaSet";

  /** A ReplicaSet with apiVersion and kind set. */
  public static ReplicaSet of(ObjectMeta metadata, ReplicaSetSpec spec, ReplicaSetStatus status) {
    return new ReplicaSet(null, null, metadata, spec, status, null);
  }
}
