package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Exactly one of waiting, running or terminated. */
public record ContainerState(
    ContainerStateWaiting waiting,
    ContainerStateRunning running,
    ContainerStateTerminated terminated,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerState {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerState withExtra(Map<String, Object> extra) {
    return new ContainerState(waiting, running, terminated, extra);
  }
}
