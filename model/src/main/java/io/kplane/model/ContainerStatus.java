package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The observed state of one container. */
public record ContainerStatus(
    String name,
    ContainerState state,
    ContainerState lastState,
    Boolean ready,
    Integer restartCount,
    String image,
    String imageID,
    String containerID,
    Boolean started,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerStatus {
    extra = Immutable.map(extra);
  }

  public ContainerStatus withName(String name) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withState(ContainerState state) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withLastState(ContainerState lastState) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withReady(Boolean ready) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withRestartCount(Integer restartCount) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withImage(String image) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withImageID(String imageID) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withContainerID(String containerID) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  public ContainerStatus withStarted(Boolean started) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerStatus withExtra(Map<String, Object> extra) {
    return new ContainerStatus(name, state, lastState, ready, restartCount, image, imageID, containerID, started, extra);
  }
}
