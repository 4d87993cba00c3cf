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

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerImage withExtra(Map<String, Object> extra) {
    return new ContainerImage(names, sizeBytes, extra);
  }
}
