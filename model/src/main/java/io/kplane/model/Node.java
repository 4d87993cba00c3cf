package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A node (core/v1 Node), cluster-scoped. */
public record Node(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    NodeSpec spec,
    NodeStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Node {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Node withMetadata(ObjectMeta metadata) {
    return new Node(apiVersion, kind, metadata, spec, status, extra);
  }

  public Node withSpec(NodeSpec spec) {
    return new Node(apiVersion, kind, metadata, spec, status, extra);
  }

  public Node withStatus(NodeStatus status) {
    return new Node(apiVersion, kind, metadata, spec, status, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Node withExtra(Map<String, Object> extra) {
    return new Node(apiVersion, kind, metadata, spec, status, extra);
  }

  public static final String API_VERSION = "v1";
  public static final String KIND = "Node";

  /** A Node with apiVersion and kind set. */
  public static Node of(ObjectMeta metadata, NodeSpec spec, NodeStatus status) {
    return new Node(null, null, metadata, spec, status, null);
  }
}
