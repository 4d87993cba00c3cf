package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** An image present on a node (used by the ImageLocality score). */
public record ContainerImage(
    List<String> names,
    Long sizeBytes,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerImage {
    names = Immutable.list(names);
    extra = Immutable.map(extra);
  }
}
