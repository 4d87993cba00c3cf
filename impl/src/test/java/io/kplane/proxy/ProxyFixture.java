package io.kplane.proxy;

import java.util.ArrayList;
import java.util.List;

/** A small cluster exercising every service shape the renderers handle. Node "node1" at 192.168.0.10. */
public final class ProxyFixture {
    public static final String NODE = "node1";
    public static final String NODE_IP = "192.168.0.10";
    public static final String CLUSTER_CIDR = "10.0.0.0/8";

    private ProxyFixture() {
    }

    public static ProxyConfig config() {
        return ProxyConfig.defaults(NODE).withClusterCIDR(CLUSTER_CIDR).withNodeIP(NODE_IP);
    }

    public static ServicePortName spn(String ns, String name, String port, Protocol p) {
        return new ServicePortName(ns, name, port, p);
    }

    public static EndpointSliceSpec slice(String ns, String svc, String sliceName, List<EndpointSliceSpec.Port> ports,
                                   EndpointSliceSpec.Endpoint... eps) {
        return new EndpointSliceSpec(ns, sliceName, svc, "IPv4", ports, List.of(eps));
    }

    public static EndpointSliceSpec.Port port(String name, int port, Protocol p) {
        return new EndpointSliceSpec.Port(name, port, p);
    }

    public static EndpointSliceSpec.Endpoint ready(String ip, String node) {
        return EndpointSliceSpec.Endpoint.ready(ip, node);
    }

    public static ServiceTracker sample() {
        ServiceTracker t = new ServiceTracker(NODE);
        // svc1: plain ClusterIP, two endpoints (one local).
        t.upsertService(new NamespacedName("ns1", "svc1"), List.of(
                ServicePortSpec.clusterIP(spn("ns1", "svc1", "p80", Protocol.TCP), "172.30.0.41", 80)));
        t.upsertEndpointSlice(slice("ns1", "svc1", "svc1-abc", List.of(port("p80", 80, Protocol.TCP)),
                ready("10.180.0.1", NODE), ready("10.180.0.2", "node2")), -1);
        // svc2: NodePort + external IP + LoadBalancer, externalTrafficPolicy Local.
        t.upsertService(new NamespacedName("ns2", "svc2"), List.of(
                ServicePortSpec.clusterIP(spn("ns2", "svc2", "p80", Protocol.TCP), "172.30.0.42", 80)
                        .withNodePort(30002)
                        .withExternal(List.of("192.168.99.22"), List.of("1.2.3.4"), List.of())
                        .withPolicies(true, false)));
        t.upsertEndpointSlice(slice("ns2", "svc2", "svc2-abc", List.of(port("p80", 8080, Protocol.TCP)),
                ready("10.180.0.2", NODE), ready("10.180.1.2", "node2")), -1);
        // svc3: no endpoints at all, with a NodePort.
        t.upsertService(new NamespacedName("ns3", "svc3"), List.of(
                ServicePortSpec.clusterIP(spn("ns3", "svc3", "p80", Protocol.TCP), "172.30.0.43", 80).withNodePort(30003)));
        // svc4: UDP with ClientIP affinity, three endpoints.
        t.upsertService(new NamespacedName("ns4", "svc4"), List.of(
                ServicePortSpec.clusterIP(spn("ns4", "svc4", "dns", Protocol.UDP), "172.30.0.44", 53).withAffinity(10800)));
        t.upsertEndpointSlice(slice("ns4", "svc4", "svc4-abc", List.of(port("dns", 5353, Protocol.UDP)),
                ready("10.180.0.4", NODE), ready("10.180.0.5", "node2"), ready("10.180.0.6", "node3")), -1);
        // svc5: LoadBalancer with source ranges (firewall chain).
        t.upsertService(new NamespacedName("ns5", "svc5"), List.of(
                ServicePortSpec.clusterIP(spn("ns5", "svc5", "p80", Protocol.TCP), "172.30.0.45", 80)
                        .withNodePort(30005)
                        .withExternal(List.of(), List.of("5.6.7.8"), List.of("203.0.113.0/25"))));
        t.upsertEndpointSlice(slice("ns5", "svc5", "svc5-abc", List.of(port("p80", 80, Protocol.TCP)),
                ready("10.180.0.7", "node2")), -1);
        // svc6: internalTrafficPolicy Local without local endpoints: cluster IP traffic dropped.
        t.upsertService(new NamespacedName("ns6", "svc6"), List.of(
                ServicePortSpec.clusterIP(spn("ns6", "svc6", "p80", Protocol.TCP), "172.30.0.46", 80)
                        .withPolicies(false, true)));
        t.upsertEndpointSlice(slice("ns6", "svc6", "svc6-abc", List.of(port("p80", 80, Protocol.TCP)),
                ready("10.180.0.8", "node2")), -1);
        // svc7: only serving-but-terminating endpoints: used as a fallback.
        t.upsertService(new NamespacedName("ns7", "svc7"), List.of(
                ServicePortSpec.clusterIP(spn("ns7", "svc7", "p80", Protocol.TCP), "172.30.0.47", 80)));
        t.upsertEndpointSlice(slice("ns7", "svc7", "svc7-abc", List.of(port("p80", 80, Protocol.TCP)),
                new EndpointSliceSpec.Endpoint("10.180.0.9", false, true, true, "node2"),
                new EndpointSliceSpec.Endpoint("10.180.0.10", false, false, true, "node2")), -1);
        // svc8: SCTP.
        t.upsertService(new NamespacedName("ns8", "svc8"), List.of(
                ServicePortSpec.clusterIP(spn("ns8", "svc8", "sctp", Protocol.SCTP), "172.30.0.48", 7777)));
        t.upsertEndpointSlice(slice("ns8", "svc8", "svc8-abc", List.of(port("sctp", 7777, Protocol.SCTP)),
                ready("10.180.0.11", "node2")), -1);
        // svc9: two ports, endpoints split over two slices.
        t.upsertService(new NamespacedName("ns9", "svc9"), List.of(
                ServicePortSpec.clusterIP(spn("ns9", "svc9", "http", Protocol.TCP), "172.30.0.49", 80),
                ServicePortSpec.clusterIP(spn("ns9", "svc9", "https", Protocol.TCP), "172.30.0.49", 443)));
        List<EndpointSliceSpec.Port> p9 = List.of(port("http", 8080, Protocol.TCP), port("https", 8443, Protocol.TCP));
        t.upsertEndpointSlice(slice("ns9", "svc9", "svc9-a", p9, ready("10.180.2.1", "node2")), -1);
        t.upsertEndpointSlice(slice("ns9", "svc9", "svc9-b", p9, ready("10.180.2.2", "node3")), -1);
        t.applyPending();
        return t;
    }

    /** {@code n} ClusterIP services with {@code endpoints} endpoints each (for scale tests). */
    public static ServiceTracker scale(int n, int endpoints) {
        ServiceTracker t = new ServiceTracker(NODE);
        for (int i = 0; i < n; i++) {
            String name = "svc" + i;
            t.upsertService(new NamespacedName("scale", name), List.of(ServicePortSpec.clusterIP(
                    spn("scale", name, "http", Protocol.TCP), "172." + (16 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255), 80)));
            List<EndpointSliceSpec.Endpoint> eps = new ArrayList<>();
            for (int e = 0; e < endpoints; e++) {
                int a = i * endpoints + e;
                eps.add(ready("10." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255), "node" + (e % 3)));
            }
            t.upsertEndpointSlice(new EndpointSliceSpec("scale", name + "-x", name, "IPv4",
                    List.of(port("http", 8080, Protocol.TCP)), eps), -1);
        }
        t.applyPending();
        return t;
    }
}
