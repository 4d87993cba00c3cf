package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** An object of a kind this model does not know: metadata is typed, everything else kept as is. */
public record GenericObject(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public GenericObject {
    extra = Immutable.map(extra);
  }

  @Override
  public GenericObject withMetadata(ObjectMeta metadata) {
    return new GenericObject(apiVersion, kind, metadata, extra);
  }
}
