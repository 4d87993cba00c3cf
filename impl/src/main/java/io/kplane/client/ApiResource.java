package io.kplane.client;

import io.kplane.model.Deployment;
import io.kplane.model.EndpointSlice;
import io.kplane.model.Event;
import io.kplane.model.GenericObject;
import io.kplane.model.KubeObject;
import io.kplane.model.Lease;
import io.kplane.model.Namespace;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import io.kplane.model.ReplicaSet;
import io.kplane.model.Service;

/**
 * A REST resource of the API server: where its objects live ({@code /api/v1/namespaces/NS/pods})
 * and which record they decode into. The constants cover what the control plane uses; kinds the
 * model does not know (the legacy {@code Endpoints}) decode into {@link GenericObject}.
 *
 * @param group      API group, "" for the core group
 * @param version    API version, e.g. "v1"
 * @param plural     resource name in the path, e.g. "pods"
 * @param kind       the object kind, e.g. "Pod"
 * @param namespaced whether objects live in a namespace
 * @param type       the record objects decode into
 */
public record ApiResource<T extends KubeObject>(String group, String version, String plural, String kind,
                                                boolean namespaced, Class<T> type) {

    public static final ApiResource<Pod> PODS = new ApiResource<>("", "v1", "pods", "Pod", true, Pod.class);
    public static final ApiResource<Node> NODES = new ApiResource<>("", "v1", "nodes", "Node", false, Node.class);
    public static final ApiResource<Namespace> NAMESPACES =
            new ApiResource<>("", "v1", "namespaces", "Namespace", false, Namespace.class);
    public static final ApiResource<Service> SERVICES =
            new ApiResource<>("", "v1", "services", "Service", true, Service.class);
    public static final ApiResource<Event> EVENTS = new ApiResource<>("", "v1", "events", "Event", true, Event.class);
    /** The legacy core/v1 Endpoints, which the model reads as a generic object. */
    public static final ApiResource<GenericObject> ENDPOINTS =
            new ApiResource<>("", "v1", "endpoints", "Endpoints", true, GenericObject.class);
    public static final ApiResource<EndpointSlice> ENDPOINT_SLICES =
            new ApiResource<>("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, EndpointSlice.class);
    public static final ApiResource<ReplicaSet> REPLICA_SETS =
            new ApiResource<>("apps", "v1", "replicasets", "ReplicaSet", true, ReplicaSet.class);
    public static final ApiResource<Deployment> DEPLOYMENTS =
            new ApiResource<>("apps", "v1", "deployments", "Deployment", true, Deployment.class);
    public static final ApiResource<Lease> LEASES =
            new ApiResource<>("coordination.k8s.io", "v1", "leases", "Lease", true, Lease.class);
    /** policy/v1 PodDisruptionBudgets, which the model reads as generic objects (spec and status as maps). */
    public static final ApiResource<GenericObject> POD_DISRUPTION_BUDGETS =
            new ApiResource<>("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, GenericObject.class);
    public static final ApiResource<PriorityClass> PRIORITY_CLASSES =
            new ApiResource<>("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, PriorityClass.class);

    /** "v1" for the core group, "group/version" otherwise, as written in {@code apiVersion}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /**
     * The path of a collection ({@code name == null}) or of one object, optionally of a
     * subresource. {@code namespace == null} for a namespaced resource means all namespaces.
     */
    public String path(String namespace, String name, String subresource) {
        StringBuilder p = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespaced && namespace != null) {
            p.append("/namespaces/").append(namespace);
        } else if (namespaced && name != null) {
            throw new IllegalArgumentException(kind + " " + name + ": a namespaced object needs a namespace");
        }
        p.append('/').append(plural);
        if (name != null) {
            p.append('/').append(name);
            if (subresource != null) {
                p.append('/').append(subresource);
            }
        }
        return p.toString();
    }

    /** group/resource as the API server names it in messages, e.g. "replicasets.apps". */
    @Override
    public String toString() {
        return group.isEmpty() ? plural : plural + "." + group;
    }
}
