package io.kplane.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a service port's endpoints into those used for Cluster and for Local traffic policy, with
 * kube-proxy's fallback to serving-but-terminating endpoints when no ready ones exist
 * (KEP-1669), and the union of both lists that this node can route to. (Topology hints are not
 * modelled: every ready endpoint is a cluster endpoint.)
 *
 * @param cluster     endpoints for Cluster policy (empty when the port does not use them)
 * @param local       endpoints on this node for Local policy (empty when the port does not use them)
 * @param reachable   the union, each endpoint once, in endpoint order
 * @param hasAny      whether any usable endpoint exists anywhere in the cluster
 */
public record EndpointCategories(List<EndpointInfo> cluster, List<EndpointInfo> local,
                                 List<EndpointInfo> reachable, boolean hasAny) {

    public static EndpointCategories of(List<EndpointInfo> endpoints, ServicePortInfo svc) {
        if (!svc.usesLocalEndpoints() && allReady(endpoints)) {
            // The common case: Cluster policies and every endpoint ready; no copies.
            return new EndpointCategories(endpoints, List.of(), endpoints, !endpoints.isEmpty());
        }
        List<EndpointInfo> cluster = List.of();
        boolean hasAny = false;
        if (svc.usesClusterEndpoints()) {
            cluster = filterReady(endpoints, false);
            if (cluster.isEmpty()) {
                cluster = filterServingTerminating(endpoints, false);
            }
            hasAny = !cluster.isEmpty();
        }
        if (!svc.usesLocalEndpoints()) {
            return new EndpointCategories(cluster, List.of(), cluster, hasAny);
        }
        boolean localReady = false;
        boolean localServingTerminating = false;
        for (EndpointInfo ep : endpoints) {
            if (ep.ready()) {
                hasAny = true;
                localReady |= ep.local();
            } else if (ep.serving() && ep.terminating()) {
                hasAny = true;
                localServingTerminating |= ep.local();
            }
        }
        List<EndpointInfo> local = List.of();
        if (localReady) {
            local = filterReady(endpoints, true);
        } else if (localServingTerminating) {
            local = filterServingTerminating(endpoints, true);
        }
        if (!svc.usesClusterEndpoints()) {
            return new EndpointCategories(cluster, local, local, hasAny);
        }
        // Union in endpoint order; both lists are subsequences of endpoints.
        List<EndpointInfo> all = new ArrayList<>(cluster.size() + local.size());
        for (EndpointInfo ep : endpoints) {
            if (cluster.contains(ep) || local.contains(ep)) {
                all.add(ep);
            }
        }
        return new EndpointCategories(cluster, local, all, hasAny);
    }

    private static boolean allReady(List<EndpointInfo> eps) {
        for (int i = 0, n = eps.size(); i < n; i++) {
            if (!eps.get(i).ready()) {
                return false;
            }
        }
        return true;
    }

    private static List<EndpointInfo> filterReady(List<EndpointInfo> eps, boolean localOnly) {
        List<EndpointInfo> out = new ArrayList<>(eps.size());
        for (EndpointInfo ep : eps) {
            if (ep.ready() && (!localOnly || ep.local())) {
                out.add(ep);
            }
        }
        return out;
    }

    private static List<EndpointInfo> filterServingTerminating(List<EndpointInfo> eps, boolean localOnly) {
        List<EndpointInfo> out = new ArrayList<>();
        for (EndpointInfo ep : eps) {
            if (ep.serving() && ep.terminating() && (!localOnly || ep.local())) {
                out.add(ep);
            }
        }
        return out;
    }
}
