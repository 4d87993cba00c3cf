package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A reference to an object (EndpointSlice targetRef, Event involvedObject). */
public record ObjectReference(
    String kind,
    String namespace,
    String name,
    String uid,
    String apiVersion,
    String resourceVersion,
    String fieldPath,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ObjectReference {
    extra = Immutable.map(extra);
  }

  public static ObjectReference to(KubeObject object) {
    ObjectMeta m = object.metadata();
    return new ObjectReference(object.kind(), m.namespace(), m.name(), m.uid(), object.apiVersion(), m.resourceVersion(), null, null);
  }
}
