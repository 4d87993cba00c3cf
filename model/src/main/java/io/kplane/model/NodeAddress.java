package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** An address of a node (InternalIP, ExternalIP, Hostname, …). */
public record NodeAddress(
    String type,
    String address,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeAddress {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public NodeAddress withExtra(Map<String, Object> extra) {
    return new NodeAddress(type, address, extra);
  }

  public static NodeAddress of(String type, String address) {
    return new NodeAddress(type, address, null);
  }
}
