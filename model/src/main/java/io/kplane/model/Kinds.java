package io.kplane.model;

import java.util.Map;

/**
 * The kinds this model knows, by {@code apiVersion} and {@code kind}. Reading JSON into
 * {@link ApiObject} or {@link KubeObject} uses this to pick the record; unknown kinds become
 * {@link GenericObject}, kinds ending in {@code List} become {@link KubeList}.
 */
public final class Kinds {
  private Kinds() {}

  private static final Map<String, Class<? extends KubeObject>> BY_KIND = Map.ofEntries(
      Map.entry("v1/Pod", Pod.class),
      Map.entry("v1/Node", Node.class),
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/Event", Event.class),
      Map.entry("discovery.k8s.io/v1/EndpointSlice", EndpointSlice.class),
      Map.entry("apps/v1/ReplicaSet", ReplicaSet.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("coordination.k8s.io/v1/Lease", Lease.class),
      Map.entry("scheduling.k8s.io/v1/PriorityClass", PriorityClass.class));

  /** The record for an object kind, or {@link GenericObject} when unknown. */
  public static Class<? extends KubeObject> objectClass(String apiVersion, String kind) {
    Class<? extends KubeObject> c = BY_KIND.get(apiVersion + "/" + kind);
    return c != null ? c : GenericObject.class;
  }

  /** Whether the kind is a list envelope ({@code List}, {@code PodList}, …). */
  public static boolean isList(String kind) {
    return kind != null && kind.endsWith("List");
  }
}
