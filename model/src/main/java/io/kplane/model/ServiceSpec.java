package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The desired state of a service. */
public record ServiceSpec(
    String type,
    String clusterIP,
    List<String> clusterIPs,
    List<String> ipFamilies,
    String ipFamilyPolicy,
    List<ServicePort> ports,
    Map<String, String> selector,
    String sessionAffinity,
    SessionAffinityConfig sessionAffinityConfig,
    String externalTrafficPolicy,
    String internalTrafficPolicy,
    List<String> externalIPs,
    String externalName,
    String loadBalancerIP,
    List<String> loadBalancerSourceRanges,
    String loadBalancerClass,
    Integer healthCheckNodePort,
    Boolean publishNotReadyAddresses,
    Boolean allocateLoadBalancerNodePorts,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ServiceSpec {
    clusterIPs = Immutable.list(clusterIPs);
    ipFamilies = Immutable.list(ipFamilies);
    ports = Immutable.list(ports);
    selector = Immutable.map(selector);
    externalIPs = Immutable.list(externalIPs);
    loadBalancerSourceRanges = Immutable.list(loadBalancerSourceRanges);
    extra = Immutable.map(extra);
  }

  public ServiceSpec withType(String type) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withClusterIP(String clusterIP) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withClusterIPs(List<String> clusterIPs) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withIpFamilies(List<String> ipFamilies) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withIpFamilyPolicy(String ipFamilyPolicy) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withPorts(List<ServicePort> ports) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withSelector(Map<String, String> selector) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withSessionAffinity(String sessionAffinity) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withSessionAffinityConfig(SessionAffinityConfig sessionAffinityConfig) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withExternalTrafficPolicy(String externalTrafficPolicy) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withInternalTrafficPolicy(String internalTrafficPolicy) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withExternalIPs(List<String> externalIPs) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withExternalName(String externalName) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withLoadBalancerIP(String loadBalancerIP) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withLoadBalancerSourceRanges(List<String> loadBalancerSourceRanges) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withLoadBalancerClass(String loadBalancerClass) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withHealthCheckNodePort(Integer healthCheckNodePort) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withPublishNotReadyAddresses(Boolean publishNotReadyAddresses) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  public ServiceSpec withAllocateLoadBalancerNodePorts(Boolean allocateLoadBalancerNodePorts) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ServiceSpec withExtra(Map<String, Object> extra) {
    return new ServiceSpec(type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ports, selector, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, internalTrafficPolicy, externalIPs, externalName, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, healthCheckNodePort, publishNotReadyAddresses, allocateLoadBalancerNodePorts, extra);
  }

  /** The type; ClusterIP when unset. */
  public String typeOrDefault() {
    return type != null ? type : "ClusterIP";
  }

  /** Session affinity; None when unset. */
  public String sessionAffinityOrDefault() {
    return sessionAffinity != null ? sessionAffinity : "None";
  }

  /** External traffic policy; Cluster when unset. */
  public String externalTrafficPolicyOrDefault() {
    return externalTrafficPolicy != null ? externalTrafficPolicy : "Cluster";
  }

  /** Internal traffic policy; Cluster when unset. */
  public String internalTrafficPolicyOrDefault() {
    return internalTrafficPolicy != null ? internalTrafficPolicy : "Cluster";
  }
}
