package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A pod (core/v1 Pod). */
public record Pod(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    PodSpec spec,
    PodStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Pod {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Pod withMetadata(ObjectMeta metadata) {
    return new Pod(apiVersion, kind, metadata, spec, status, extra);
  }

  public Pod withSpec(PodSpec spec) {
    return new Pod(apiVersion, kind, metadata, spec, status, extra);
  }

  public Pod withStatus(PodStatus status) {
    return new Pod(apiVersion, kind, metadata, spec, status, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Pod withExtra(Map<String, Object> extra) {
    return new Pod(apiVersion, kind, metadata, spec, status, extra);
  }

  public static final String API_VERSION = "v1";
  public static final String KIND = "Pod";

  /** A Pod with apiVersion and kind set. */
  public static Pod of(ObjectMeta metadata, PodSpec spec, PodStatus status) {
    return new Pod(null, null, metadata, spec, status, null);
  }

  public static Pod of(ObjectMeta metadata, PodSpec spec) {
    return new Pod(null, null, metadata, spec, null, null);
  }

  /** The status, or an empty one (never null). */
  public PodStatus statusOrEmpty() {
    return status != null ? status : PodStatus.EMPTY;
  }
}
