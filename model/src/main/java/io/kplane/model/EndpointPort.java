package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A port of an EndpointSlice. */
public record EndpointPort(
    String name,
    String protocol,
    Integer port,
    String appProtocol,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public EndpointPort {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public EndpointPort withExtra(Map<String, Object> extra) {
    return new EndpointPort(name, protocol, port, appProtocol, extra);
  }

  /** The protocol; TCP when unset, as the API server defaults it. */
  public String protocolOrDefault() {
    return protocol != null ? protocol : "TCP";
  }
}
