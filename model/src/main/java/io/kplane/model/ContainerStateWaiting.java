package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A container that is not running yet. */
public record ContainerStateWaiting(
    String reason,
    String message,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerStateWaiting {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerStateWaiting withExtra(Map<String, Object> extra) {
    return new ContainerStateWaiting(reason, message, extra);
  }
}
