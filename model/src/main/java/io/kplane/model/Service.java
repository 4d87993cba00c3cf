package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A service (core/v1 Service). */
public record Service(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ServiceSpec spec,
    ServiceStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Service {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Service withMetadata(ObjectMeta metadata) {
    return new Service(apiVersion, kind, metadata, spec, status, extra);
  }

  public Service withSpec(ServiceSpec spec) {
    return new Service(apiVersion, kind, metadata, spec, status, extra);
  }

  public Service withStatus(ServiceStatus status) {
    return new Service(apiVersion, kind, metadata, spec, status, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Service withExtra(Map<String, Object> extra) {
    return new Service(apiVersion, kind, metadata, spec, status, extra);
  }

  public static final String API_VERSION = "v1";
  public static final String KIND = "Service";

  /** A Service with apiVersion and kind set. */
  public static Service of(ObjectMeta metadata, ServiceSpec spec, ServiceStatus status) {
    return new Service(null, null, metadata, spec, status, null);
  }
}
