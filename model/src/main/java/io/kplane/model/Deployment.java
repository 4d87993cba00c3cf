package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A deployment (apps/v1). */
public record Deployment(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    DeploymentSpec spec,
    DeploymentStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Deployment {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Deployment withMetadata(ObjectMeta metadata) {
    return new Deployment(apiVersion, kind, metadata, spec, status, extra);
  }

  public Deployment withSpec(DeploymentSpec spec) {
    return new Deployment(apiVersion, kind, metadata, spec, status, extra);
  }

  public Deployment withStatus(DeploymentStatus status) {
    return new Deployment(apiVersion, kind, metadata, spec, status, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Deployment withExtra(Map<String, Object> extra) {
    return new Deployment(apiVersion, kind, metadata, spec, status, extra);
  }

  public static final String API_VERSION = "apps/v1";
  public static final String KIND = "Deployment";

  /** A Deployment with apiVersion and kind set. */
  public static Deployment of(ObjectMeta metadata, DeploymentSpec spec, DeploymentStatus status) {
    return new Deployment(null, null, metadata, spec, status, null);
  }
}
