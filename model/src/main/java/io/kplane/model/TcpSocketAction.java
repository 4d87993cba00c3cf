package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A TCP connect probe action. */
public record TcpSocketAction(
    IntOrString port,
    String host,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public TcpSocketAction {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public TcpSocketAction withExtra(Map<String, Object> extra) {
    return new TcpSocketAction(port, host, extra);
  }
}
