package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** A slice of the endpoints of a service (discovery.k8s.io/v1). */
public record EndpointSlice(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    String addressType,
    List<Endpoint> endpoints,
    List<EndpointPort> ports,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public EndpointSlice {
    endpoints = Immutable.list(endpoints);
    ports = Immutable.list(ports);
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public EndpointSlice withMetadata(ObjectMeta metadata) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports, extra);
  }

  public EndpointSlice withAddressType(String addressType) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports, extra);
  }

  public EndpointSlice withEndpoints(List<Endpoint> endpoints) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports, extra);
  }

  public EndpointSlice withPorts(List<EndpointPort> ports) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public EndpointSlice withExtra(Map<String, Object> extra) {
    return new EndpointSlice(apiVersion, kind, metadata, addressType, endpoints, ports, extra);
  }

  public static final String API_VERSION = "discovery.k8s.io/v1";
  public static final String KIND = "EndpointSlice";

  /** A EndpointSlice with apiVersion and kind set. */
  public static EndpointSlice of(ObjectMeta metadata, String addressType, List<Endpoint> endpoints, List<EndpointPort> ports) {
    return new EndpointSlice(null, null, metadata, addressType, endpoints, ports, null);
  }
}
