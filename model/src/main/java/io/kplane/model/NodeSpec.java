package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** The desired state of a node: taints, cordon, pod CIDRs. */
public record NodeSpec(
    String podCIDR,
    List<String> podCIDRs,
    String providerID,
    Boolean unschedulable,
    List<Taint> taints,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public NodeSpec {
    podCIDRs = Immutable.list(podCIDRs);
    taints = Immutable.list(taints);
    extra = Immutable.map(extra);
  }

  public NodeSpec withPodCIDR(String podCIDR) {
    return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, taints, extra);
  }

  public NodeSpec withPodCIDRs(List<String> podCIDRs) {
    return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, taints, extra);
  }

  public NodeSpec withProviderID(String providerID) {
    return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, taints, extra);
  }

  public NodeSpec withUnschedulable(Boolean unschedulable) {
    return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, taints, extra);
  }

  public NodeSpec withTaints(List<Taint> taints) {
    return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, taints, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public NodeSpec withExtra(Map<String, Object> extra) {
    return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, taints, extra);
  }
}
