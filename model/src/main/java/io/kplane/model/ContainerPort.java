package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A port a container exposes. */
public record ContainerPort(
    String name,
    Integer containerPort,
    Integer hostPort,
    String hostIP,
    String protocol,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ContainerPort {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ContainerPort withExtra(Map<String, Object> extra) {
    return new ContainerPort(name, containerPort, hostPort, hostIP, protocol, extra);
  }

  public static ContainerPort of(String name, int containerPort) {
    return new ContainerPort(name, containerPort, null, null, null, null);
  }

  /** The protocol; TCP when unset, as the API server defaults it. */
  public String protocolOrDefault() {
    return protocol != null ? protocol : "TCP";
  }
}
