package io.kplane.proxy;

import java.util.List;

/**
 * What kube-proxy reads from an EndpointSlice: its owning Service (label
 * {@code kubernetes.io/service-name}), its ports and its endpoints. Only IPv4 slices are proxied.
 */
public record EndpointSliceSpec(String namespace, String name, String serviceName, String addressType,
                                List<Port> ports, List<Endpoint> endpoints) {

    public EndpointSliceSpec {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** A slice port; {@code port == 0} means unset (such ports are not proxied). */
    public record Port(String name, int port, Protocol protocol) {
        public Port {
            name = name == null ? "" : name;
            protocol = protocol == null ? Protocol.TCP : protocol;
        }
    }

    /**
     * An endpoint: kube-proxy uses the first address only. Null conditions take the API defaults
     * as kube-proxy's EndpointSliceCache reads them: ready=true, serving=true, terminating=false.
     */
    public record Endpoint(String ip, Boolean ready, Boolean serving, Boolean terminating, String nodeName,
                           java.util.Set<String> zoneHints, java.util.Set<String> nodeHints) {
        public Endpoint {
            zoneHints = zoneHints == null ? java.util.Set.of() : java.util.Set.copyOf(zoneHints);
            nodeHints = nodeHints == null ? java.util.Set.of() : java.util.Set.copyOf(nodeHints);
        }

        public Endpoint(String ip, Boolean ready, Boolean serving, Boolean terminating, String nodeName) {
            this(ip, ready, serving, terminating, nodeName, null, null);
        }

        public static Endpoint ready(String ip, String nodeName) {
            return new Endpoint(ip, true, true, false, nodeName);
        }

        /** This endpoint with topology hints ({@code hints.forZones} / {@code hints.forNodes}). */
        public Endpoint withHints(java.util.Set<String> zones, java.util.Set<String> nodes) {
            return new Endpoint(ip, ready, serving, terminating, nodeName, zones, nodes);
        }

        boolean isReady() { return ready == null || ready; }
        boolean isServing() { return serving == null || serving; }
        boolean isTerminating() { return terminating != null && terminating; }
    }

    public NamespacedName service() {
        return new NamespacedName(namespace, serviceName);
    }
}
