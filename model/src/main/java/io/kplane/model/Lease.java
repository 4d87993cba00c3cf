package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A lease (coordination.k8s.io/v1): leader election and node heartbeats. */
public record Lease(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    LeaseSpec spec,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Lease {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Lease withMetadata(ObjectMeta metadata) {
    return new Lease(apiVersion, kind, metadata, spec, extra);
  }

  public Lease withSpec(LeaseSpec spec) {
    return new Lease(apiVersion, kind, metadata, spec, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Lease withExtra(Map<String, Object> extra) {
    return new Lease(apiVersion, kind, metadata, spec, extra);
  }

  public static final String API_VERSION = "coordination.k8s.io/v1";
  public static final String KIND = "Lease";

  /** A Lease with apiVersion and kind set. */
  public static Lease of(ObjectMeta metadata, LeaseSpec spec) {
    return new Lease(null, null, metadata, spec, null);
  }
}
