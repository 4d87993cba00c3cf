package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A namespace (core/v1 Namespace). */
public record Namespace(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    NamespaceSpec spec,
    NamespaceStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Namespace {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Namespace withMetadata(ObjectMeta metadata) {
    return new Namespace(apiVersion, kind, metadata, spec, status, extra);
  }

  public Namespace withSpec(NamespaceSpec spec) {
    return new Namespace(apiVersion, kind, metadata, spec, status, extra);
  }

  public Namespace withStatus(NamespaceStatus status) {
    return new Namespace(apiVersion, kind, metadata, spec, status, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Namespace withExtra(Map<String, Object> extra) {
    return new Namespace(apiVersion, kind, metadata, spec, status, extra);
  }

  public static final String API_VERSION = "v1";
  public static final String KIND = "Namespace";

  /** A Namespace with apiVersion and kind set. */
  public static Namespace of(ObjectMeta metadata, NamespaceSpec spec, NamespaceStatus status) {
    return new Namespace(null, null, metadata, spec, status, null);
  }
}
