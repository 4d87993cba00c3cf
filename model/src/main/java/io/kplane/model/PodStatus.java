package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The observed state of a pod. */
public record PodStatus(
    String phase,
    List<Condition> conditions,
    String message,
    String reason,
    String nominatedNodeName,
    String hostIP,
    List<PodIP> hostIPs,
    String podIP,
    List<PodIP> podIPs,
    Instant startTime,
    String qosClass,
    List<ContainerStatus> initContainerStatuses,
    List<ContainerStatus> containerStatuses,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodStatus {
    conditions = Immutable.list(conditions);
    hostIPs = Immutable.list(hostIPs);
    podIPs = Immutable.list(podIPs);
    initContainerStatuses = Immutable.list(initContainerStatuses);
    containerStatuses = Immutable.list(containerStatuses);
    extra = Immutable.map(extra);
  }

  public PodStatus withPhase(String phase) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withConditions(List<Condition> conditions) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withMessage(String message) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withReason(String reason) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withNominatedNodeName(String nominatedNodeName) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withHostIP(String hostIP) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withHostIPs(List<PodIP> hostIPs) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withPodIP(String podIP) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withPodIPs(List<PodIP> podIPs) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withStartTime(Instant startTime) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withQosClass(String qosClass) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withInitContainerStatuses(List<ContainerStatus> initContainerStatuses) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public PodStatus withContainerStatuses(List<ContainerStatus> containerStatuses) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodStatus withExtra(Map<String, Object> extra) {
    return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, hostIPs, podIP, podIPs, startTime, qosClass, initContainerStatuses, containerStatuses, extra);
  }

  public static final PodStatus EMPTY = new PodStatus(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}
