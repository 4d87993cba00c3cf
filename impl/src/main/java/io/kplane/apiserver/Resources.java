package io.kplane.apiserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The resources this API server serves, by group/version/resource and by group/kind. */
public final class Resources {
  private final List<ResourceType> all;
  private final Map<String, ResourceType> byPath = new LinkedHashMap<>();

  private Resources(List<ResourceType> all) {
    this.all = List.copyOf(all);
    for (ResourceType t : all) {
      byPath.put(t.apiVersion() + "/" + t.resource(), t);
    }
  }

  /** The built-in set: core/v1, apps/v1, discovery.k8s.io/v1, coordination.k8s.io/v1, policy/v1, scheduling.k8s.io/v1. */
  public static Resources builtIn() {
    List<ResourceType> l = new ArrayList<>();
    l.add(new ResourceType("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"), Set.of("status"), List.of()));
    l.add(new ResourceType("", "v1", "pods", "pod", "Pod", true, List.of("po"), Set.of("status", "binding", "eviction"), List.of("all")));
    l.add(new ResourceType("", "v1", "nodes", "node", "Node", false, List.of("no"), Set.of("status"), List.of()));
    l.add(new ResourceType("", "v1", "services", "service", "Service", true, List.of("svc"), Set.of("status"), List.of("all")));
    l.add(new ResourceType("", "v1", "endpoints", "endpoints", "Endpoints", true, List.of("ep"), Set.of(), List.of()));
    l.add(new ResourceType("", "v1", "events", "event", "Event", true, List.of("ev"), Set.of(), List.of()));
    l.add(new ResourceType("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"), Set.of("status", "scale"), List.of("all")));
    l.add(new ResourceType("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"), Set.of("status", "scale"), List.of("all")));
    l.add(new ResourceType("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, List.of(), Set.of(), List.of()));
    l.add(new ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), Set.of(), List.of()));
    l.add(new ResourceType("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, List.of("pdb"),
        Set.of("status"), List.of()));
    l.add(new ResourceType("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, List.of("pc"), Set.of(), List.of()));
    return new Resources(l);
  }

  public List<ResourceType> all() {
    return all;
  }

  /** The resource at {@code /api/v1/pods} ("" group) or {@code /apis/apps/v1/deployments}; null if unknown. */
  public ResourceType find(String group, String version, String resource) {
    return byPath.get((group.isEmpty() ? version : group + "/" + version) + "/" + resource);
  }

  public ResourceType byKind(String group, String kind) {
    for (ResourceType t : all) {
      if (t.group().equals(group) && t.kind().equals(kind)) {
        return t;
      }
    }
    return null;
  }

  /** Group names in discovery order ("" first). */
  public List<String> groups() {
    List<String> out = new ArrayList<>();
    for (ResourceType t : all) {
      if (!out.contains(t.group())) {
        out.add(t.group());
      }
    }
    return out;
  }

  public List<ResourceType> inGroupVersion(String group, String version) {
    return all.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
  }
}
