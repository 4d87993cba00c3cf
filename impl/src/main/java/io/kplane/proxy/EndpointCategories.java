package io.kplane.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a service port's endpoints into those used for Cluster and for Local traffic policy, with
 * kube-proxy's fallback to serving-but-terminating endpoints when no ready ones exist
 * (KEP-1669), topology hints for Cluster traffic (upstream {@code CategorizeEndpoints}: when every
 * ready endpoint has a hint and one is hinted for this node, only those; else the same for the
 * zone; the EndpointSlice controller sets the hints for {@code trafficDistribution: PreferClose}
 * and topology-aware routing), and the union of both lists that this node can route to.
 *
 * @param cluster     endpoints for Cluster policy (empty when the port does not use them)
 * @param local       endpoints on this node for Local policy (empty when the port does not use them)
 * @param reachable   the union, each endpoint once, in endpoint order
 * @param hasAny      whether any usable endpoint exists anywhere in the cluster
 */
public record EndpointCategories(List<EndpointInfo> cluster, List<EndpointInfo> local,
                                 List<EndpointInfo> reachable, boolean hasAny) {

    /** Upstream's topology modes. */
    enum Topology { NONE, SAME_NODE, SAME_ZONE }

    /** Without hints: every ready endpoint serves Cluster traffic. */
    public static EndpointCategories of(List<EndpointInfo> endpoints, ServicePortInfo svc) {
        return of(endpoints, svc, null, null);
    }

    /** {@code nodeName} and {@code zone} (this node's zone label, may be null) select hinted endpoints. */
    public static EndpointCategories of(List<EndpointInfo> endpoints, ServicePortInfo svc, String nodeName, String zone) {
        if (!svc.usesLocalEndpoints() && allReadyWithoutHints(endpoints)) {
            // The common case: Cluster policies, every endpoint ready, no hints; no copies.
            return new EndpointCategories(endpoints, List.of(), endpoints, !endpoints.isEmpty());
        }
        List<EndpointInfo> cluster = List.of();
        boolean hasAny = false;
        Topology topology = Topology.NONE;
        if (svc.usesClusterEndpoints()) {
            topology = topology(endpoints, nodeName, zone);
            cluster = filterReady(endpoints, false, topology, nodeName, zone);
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
            local = filterReady(endpoints, true, Topology.NONE, nodeName, zone);
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

    /** Upstream {@code topologyModeFromHints} (PreferSameTrafficDistribution on). */
    static Topology topology(List<EndpointInfo> endpoints, String nodeName, String zone) {
        boolean allNodeHints = true;
        boolean forNode = false;
        boolean allZoneHints = true;
        boolean forZone = false;
        boolean anyReady = false;
        for (EndpointInfo ep : endpoints) {
            if (!ep.ready()) {
                continue;
            }
            anyReady = true;
            if (ep.nodeHints().isEmpty()) {
                allNodeHints = false;
            } else if (nodeName != null && ep.nodeHints().contains(nodeName)) {
                forNode = true;
            }
            if (ep.zoneHints().isEmpty()) {
                allZoneHints = false;
            } else if (zone != null && ep.zoneHints().contains(zone)) {
                forZone = true;
            }
        }
        if (anyReady && allNodeHints && forNode) {
            return Topology.SAME_NODE;
        }
        if (anyReady && allZoneHints && forZone) {
            return Topology.SAME_ZONE;
        }
        return Topology.NONE;
    }

    private static boolean allReadyWithoutHints(List<EndpointInfo> eps) {
        for (int i = 0, n = eps.size(); i < n; i++) {
            EndpointInfo ep = eps.get(i);
            if (!ep.ready() || !ep.zoneHints().isEmpty() || !ep.nodeHints().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean available(EndpointInfo ep, Topology topology, String nodeName, String zone) {
        return switch (topology) {
            case NONE -> true;
            case SAME_NODE -> ep.nodeHints().contains(nodeName);
            case SAME_ZONE -> ep.zoneHints().contains(zone);
        };
    }

    private static List<EndpointInfo> filterReady(List<EndpointInfo> eps, boolean localOnly, Topology topology,
            String nodeName, String zone) {
        List<EndpointInfo> out = new ArrayList<>(eps.size());
        for (EndpointInfo ep : eps) {
            if (ep.ready() && (!localOnly || ep.local()) && available(ep, topology, nodeName, zone)) {
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
