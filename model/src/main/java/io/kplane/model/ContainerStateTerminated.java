package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;

/** A container that has terminated. */
public record ContainerStateTerminated(
    Integer exitCode,
    Integer signal,
    String reason,
    String message,
    Instant startedAt,
    Instant finishedAt,
    String containerID,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerStateTerminated {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerStateTerminated withExtra(Map<String, Object> extra) {
    return new ContainerStateTerminated(exitCode, signal, reason, message, startedAt, finishedAt, containerID, extra);
  }
}
