package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;

/** A running container. */
public record ContainerStateRunning(
    Instant startedAt,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerStateRunning {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerStateRunning withExtra(Map<String, Object> extra) {
    return new ContainerStateRunning(startedAt, extra);
  }
}
