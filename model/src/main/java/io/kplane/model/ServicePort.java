package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A port of a service; targetPort is a number or a container port name. */
public record ServicePort(
    String name,
    String protocol,
    String appProtocol,
    Integer port,
    IntOrString targetPort,
    Integer nodePort,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ServicePort {
    extra = Immutable.map(extra);
  }

  public ServicePort withName(String name) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  public ServicePort withProtocol(String protocol) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  public ServicePort withAppProtocol(String appProtocol) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  public ServicePort withPort(Integer port) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  public ServicePort withTargetPort(IntOrString targetPort) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  public ServicePort withNodePort(Integer nodePort) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ServicePort withExtra(Map<String, Object> extra) {
    return new ServicePort(name, protocol, appProtocol, port, targetPort, nodePort, extra);
  }

  public static ServicePort of(String name, String protocol, int port, IntOrString targetPort) {
    return new ServicePort(name, protocol, null, port, targetPort, null, null);
  }

  /** The protocol; TCP when unset, as the API server defaults it. */
  public String protocolOrDefault() {
    return protocol != null ? protocol : "TCP";
  }
}
