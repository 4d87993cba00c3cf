package io.kplane.proxy;

import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesTracer;
import io.kplane.proxy.nftables.NftablesRenderer;
import io.kplane.proxy.nftables.NftablesTracer;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.EndpointSlice;
import io.kplane.model.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Topology hints (set by the EndpointSlice controller for {@code trafficDistribution:
 * PreferClose} and topology-aware routing) narrow Cluster traffic to this node's zone or to this
 * node, with upstream's fallbacks; traced through the rendered nftables and iptables rules.
 */
class TopologyHintsTest {
    private static final List<String> LOCAL = List.of(ProxyFixture.NODE_IP, "127.0.0.1");
    private static final ServicePortName SPN = ProxyFixture.spn("ns", "web", "http", Protocol.TCP);

    private static EndpointSliceSpec.Endpoint ep(String ip, String node, Set<String> zones, Set<String> nodes) {
        return EndpointSliceSpec.Endpoint.ready(ip, node).withHints(zones, nodes);
    }

    private static ServiceTracker cluster(EndpointSliceSpec.Endpoint... eps) {
        ServiceTracker t = new ServiceTracker(ProxyFixture.NODE);
        t.upsertService(new NamespacedName("ns", "web"), List.of(ServicePortSpec.clusterIP(SPN, "172.30.0.80", 80)));
        t.upsertEndpointSlice(ProxyFixture.slice("ns", "web", "web-1", List.of(ProxyFixture.port("http", 8080, Protocol.TCP)), eps), -1);
        t.applyPending();
        return t;
    }

    /** The endpoints a packet to the cluster IP reaches, by both backends (which must agree). */
    private static Set<String> reached(ServiceTracker t, String zone) {
        ProxyConfig config = ProxyFixture.config().withNodeZone(zone);
        Packet p = Packet.tcp("10.1.2.3", "172.30.0.80", 80);
        Map<String, Double> nft = new NftablesTracer(LOCAL).apply(new NftablesRenderer(config).render(t, Set.of(), true).text())
                .trace(p).endpoints();
        Map<String, Double> ipt = IptablesTracer.forRestoreInput(new IptablesRenderer(config).render(t, Set.of(), true).text(), LOCAL)
                .trace(p).endpoints();
        assertThat(nft.keySet()).isEqualTo(ipt.keySet());
        return nft.keySet();
    }

    @Test
    void zoneHintsKeepClusterTrafficInThisNodesZone() {
        ServiceTracker t = cluster(ep("10.180.0.1", "n-a1", Set.of("zone-a"), null), ep("10.180.0.2", "n-b1", Set.of("zone-b"), null),
                ep("10.180.0.3", "n-a2", Set.of("zone-a"), null));
        assertThat(reached(t, "zone-a")).containsExactlyInAnyOrder("10.180.0.1:8080", "10.180.0.3:8080");
        assertThat(reached(t, "zone-b")).containsExactly("10.180.0.2:8080");
        // No endpoint hinted for this zone, or the node has no zone label: hints are ignored.
        assertThat(reached(t, "zone-c")).hasSize(3);
        assertThat(reached(t, null)).hasSize(3);
    }

    @Test
    void hintsAreIgnoredUnlessEveryReadyEndpointHasOne() {
        ServiceTracker t = cluster(ep("10.180.0.1", "n-a1", Set.of("zone-a"), null), ep("10.180.0.2", "n-b1", null, null));
        assertThat(reached(t, "zone-a")).hasSize(2);
    }

    @Test
    void nodeHintsWinOverZoneHintsWhenOneIsForThisNode() {
        ServiceTracker t = cluster(ep("10.180.0.1", ProxyFixture.NODE, Set.of("zone-a"), Set.of(ProxyFixture.NODE)),
                ep("10.180.0.2", "n-a2", Set.of("zone-a"), Set.of("n-a2")));
        assertThat(reached(t, "zone-a")).containsExactly("10.180.0.1:8080");
    }

    @Test
    void hintsAreReadFromTheEndpointSliceObject() throws Exception {
        EndpointSlice es = Json.yamlMapper().readValue("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-1, namespace: ns, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints:
                - addresses: [10.180.0.1]
                  zone: zone-a
                  hints: {forZones: [{name: zone-a}], forNodes: [{name: n-a1}]}
                """, EndpointSlice.class);
        EndpointSliceSpec spec = KubeObjectTranslation.endpointSlice(es);
        assertThat(spec.endpoints().get(0).zoneHints()).containsExactly("zone-a");
        assertThat(spec.endpoints().get(0).nodeHints()).containsExactly("n-a1");
    }

    @Test
    void notReadyEndpointsWithoutHintsDoNotDisableTheHints() {
        // Upstream's topologyModeFromHints looks at ready endpoints only.
        EndpointSliceSpec.Endpoint terminating = new EndpointSliceSpec.Endpoint("10.180.0.9", false, true, true, "n-b2");
        ServiceTracker t = cluster(ep("10.180.0.1", "n-a1", Set.of("zone-a"), null), ep("10.180.0.2", "n-b1", Set.of("zone-b"), null),
                terminating);
        assertThat(reached(t, "zone-a")).containsExactly("10.180.0.1:8080");
    }

    @Test
    void withoutReadyEndpointsTheServingTerminatingFallbackIgnoresHints() {
        // Upstream: the fallback to serving-but-terminating endpoints does not consider topology.
        ServiceTracker t = cluster(
                new EndpointSliceSpec.Endpoint("10.180.0.1", false, true, true, "n-a1", Set.of("zone-a"), null),
                new EndpointSliceSpec.Endpoint("10.180.0.2", false, true, true, "n-b1", Set.of("zone-b"), null));
        assertThat(reached(t, "zone-a")).containsExactlyInAnyOrder("10.180.0.1:8080", "10.180.0.2:8080");
    }
}
