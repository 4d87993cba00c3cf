package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The desired state of a pod: containers and everything the scheduler decides on. */
public record PodSpec(
    List<Container> containers,
    List<Container> initContainers,
    String nodeName,
    Map<String, String> nodeSelector,
    Affinity affinity,
    List<Toleration> tolerations,
    List<TopologySpreadConstraint> topologySpreadConstraints,
    String schedulerName,
    String priorityClassName,
    Integer priority,
    String preemptionPolicy,
    List<PodSchedulingGate> schedulingGates,
    Map<String, Quantity> overhead,
    ResourceRequirements resources,
    String restartPolicy,
    Long terminationGracePeriodSeconds,
    Boolean hostNetwork,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodSpec {
    containers = Immutable.list(containers);
    initContainers = Immutable.list(initContainers);
    nodeSelector = Immutable.map(nodeSelector);
    tolerations = Immutable.list(tolerations);
    topologySpreadConstraints = Immutable.list(topologySpreadConstraints);
    schedulingGates = Immutable.list(schedulingGates);
    overhead = Immutable.map(overhead);
    extra = Immutable.map(extra);
  }

  public PodSpec withContainers(List<Container> containers) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withInitContainers(List<Container> initContainers) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withNodeName(String nodeName) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withNodeSelector(Map<String, String> nodeSelector) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withAffinity(Affinity affinity) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withTolerations(List<Toleration> tolerations) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withSchedulerName(String schedulerName) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withPriorityClassName(String priorityClassName) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withPriority(Integer priority) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withPreemptionPolicy(String preemptionPolicy) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withSchedulingGates(List<PodSchedulingGate> schedulingGates) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withOverhead(Map<String, Quantity> overhead) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withResources(ResourceRequirements resources) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withRestartPolicy(String restartPolicy) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withTerminationGracePeriodSeconds(Long terminationGracePeriodSeconds) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public PodSpec withHostNetwork(Boolean hostNetwork) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodSpec withExtra(Map<String, Object> extra) {
    return new PodSpec(containers, initContainers, nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulerName, priorityClassName, priority, preemptionPolicy, schedulingGates, overhead, resources, restartPolicy, terminationGracePeriodSeconds, hostNetwork, extra);
  }

  public static PodSpec of(List<Container> containers) {
    return new PodSpec(containers, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The scheduler; default-scheduler when unset. */
  public String schedulerNameOrDefault() {
    return schedulerName != null ? schedulerName : "default-scheduler";
  }
}
