package io.kplane.apiserver;

import java.util.List;
import java.util.Set;

/**
 * One REST resource the server serves: where it lives in the URL space and in storage, and the few
 * behaviours that differ between kinds (status subresource, graceful deletion, generation).
 *
 * @param group        API group ("" for core)
 * @param version      API version
 * @param resource     plural resource name (URL and storage key segment)
 * @param singular     singular name (kubectl)
 * @param kind         kind
 * @param namespaced   namespaced or cluster-scoped
 * @param shortNames   kubectl short names
 * @param subresources subresources served (status, scale, binding, eviction)
 * @param categories   kubectl categories ("all")
 */
public record ResourceType(String group, String version, String resource, String singular, String kind,
                           boolean namespaced, List<String> shortNames, Set<String> subresources, List<String> categories) {

  /** apiVersion as written in objects: {@code v1} or {@code apps/v1}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String listKind() {
    return kind + "List";
  }

  /** Storage prefix for all objects: {@code /registry/pods/}. */
  public String storagePrefix() {
    return "/registry/" + storageName() + "/";
  }

  /** Storage prefix for one namespace (namespaced types) or all objects (cluster-scoped). */
  public String storagePrefix(String namespace) {
    return namespaced && namespace != null ? storagePrefix() + namespace + "/" : storagePrefix();
  }

  public String storageKey(String namespace, String name) {
    return namespaced ? storagePrefix() + namespace + "/" + name : storagePrefix() + name;
  }

  /** Kubernetes' etcd layout names a few resources differently from their URL (services live under specs). */
  private String storageName() {
    return switch (resource) {
      case "services" -> "services/specs";
      case "nodes" -> "minions";
      case "endpoints" -> "services/endpoints";
      case "leases" -> "leases";
      default -> group.isEmpty() || group.equals("apps") || group.endsWith(".k8s.io") ? resource : group + "/" + resource;
    };
  }

  /** Whether writes to the main resource leave status alone and /status writes leave the rest alone. */
  public boolean hasStatus() {
    return subresources.contains("status");
  }

  /** {@code pods} or {@code deployments.apps}, as used in error messages. */
  public String qualifiedResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }
}
