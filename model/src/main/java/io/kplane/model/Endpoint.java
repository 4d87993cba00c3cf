package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** One endpoint of an EndpointSlice. */
public record Endpoint(
    List<String> addresses,
    EndpointConditions conditions,
    String hostname,
    ObjectReference targetRef,
    String nodeName,
    String zone,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Endpoint {
    addresses = Immutable.list(addresses);
    extra = Immutable.map(extra);
  }

  public Endpoint withAddresses(List<String> addresses) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }

  public Endpoint withConditions(EndpointConditions conditions) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }

  public Endpoint withHostname(String hostname) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }

  public Endpoint withTargetRef(ObjectReference targetRef) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }

  public Endpoint withNodeName(String nodeName) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }

  public Endpoint withZone(String zone) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Endpoint withExtra(Map<String, Object> extra) {
    return new Endpoint(addresses, conditions, hostname, targetRef, nodeName, zone, extra);
  }
}
