package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The observed state of a node, as a kubelet reports it. */
public record NodeStatus(
    Map<String, Quantity> capacity,
    Map<String, Quantity> allocatable,
    String phase,
    List<Condition> conditions,
    List<NodeAddress> addresses,
    NodeSystemInfo nodeInfo,
    List<ContainerImage> images,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeStatus {
    capacity = Immutable.map(capacity);
    allocatable = Immutable.map(allocatable);
    conditions = Immutable.list(conditions);
    addresses = Immutable.list(addresses);
    images = Immutable.list(images);
    extra = Immutable.map(extra);
  }

  public NodeStatus withCapacity(Map<String, Quantity> capacity) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  public NodeStatus withAllocatable(Map<String, Quantity> allocatable) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  public NodeStatus withPhase(String phase) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  public NodeStatus withConditions(List<Condition> conditions) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  public NodeStatus withAddresses(List<NodeAddress> addresses) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  public NodeStatus withNodeInfo(NodeSystemInfo nodeInfo) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  public NodeStatus withImages(List<ContainerImage> images) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public NodeStatus withExtra(Map<String, Object> extra) {
    return new NodeStatus(capacity, allocatable, phase, conditions, addresses, nodeInfo, images, extra);
  }
}
