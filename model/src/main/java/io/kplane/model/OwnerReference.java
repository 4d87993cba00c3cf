package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** An entry of {@code metadata.ownerReferences}: the garbage collector follows these. */
public record OwnerReference(
    String apiVersion,
    String kind,
    String name,
    String uid,
    Boolean controller,
    Boolean blockOwnerDeletion,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public OwnerReference {
    extra = Immutable.map(extra);
  }

  /** A controller reference to {@code owner} (controller and blockOwnerDeletion true), as controllers set it. */
  public static OwnerReference controllerOf(KubeObject owner) {
    return new OwnerReference(owner.apiVersion(), owner.kind(), owner.name(), owner.metadata().uid(), true, true, null);
  }
}
