package io.kplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kplane.model.EndpointSlice;
import io.kplane.model.Json;
import io.kplane.model.Service;
import io.kplane.proxy.iptables.IptablesNetnsTest;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesRules;
import io.kplane.proxy.iptables.IptablesRuleset;
import io.kplane.proxy.iptables.IptablesTracer;
import io.kplane.proxy.nftables.NftablesRenderer;
import io.kplane.proxy.nftables.NftablesTracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Dual-stack: kube-proxy runs one proxier per IP family. The IPv6 proxier gets the Services'
 * IPv6 cluster IPs ({@code ipFamilies}/{@code clusterIPs}) and the {@code addressType: IPv6}
 * EndpointSlices, and renders {@code ip6tables-restore} input and an {@code ip6 kube-proxy}
 * nftables table; the real {@code ip6tables-legacy-restore} and {@code nft} accept them in a
 * network namespace this test creates, and the tracers follow IPv6 packets through them.
 */
class DualStackTest {
    static final String NODE_IP6 = "fd00:168::10";
    static final List<String> LOCAL6 = List.of(NODE_IP6, "::1");

    static ProxyConfig config6() {
        return ProxyFixture.config().forFamily(IpFamily.IPv6, NODE_IP6, "fd00:180::/64");
    }

    /** An IPv6 cluster: a plain ClusterIP service, a NodePort/external/LB one with Local policy, one without endpoints, UDP with affinity. */
    static ServiceTracker sample6() {
        ServiceTracker t = new ServiceTracker(ProxyFixture.NODE, IpFamily.IPv6);
        t.upsertService(new NamespacedName("ns1", "svc1"), List.of(
                ServicePortSpec.clusterIP(ProxyFixture.spn("ns1", "svc1", "p80", Protocol.TCP), "fd00:30::41", 80)));
        t.upsertEndpointSlice(slice6("ns1", "svc1", ProxyFixture.port("p80", 80, Protocol.TCP),
                ProxyFixture.ready("fd00:180::1", ProxyFixture.NODE), ProxyFixture.ready("fd00:180::2", "node2")), -1);
        t.upsertService(new NamespacedName("ns2", "svc2"), List.of(
                ServicePortSpec.clusterIP(ProxyFixture.spn("ns2", "svc2", "p80", Protocol.TCP), "fd00:30::42", 80)
                        .withNodePort(30002)
                        .withExternal(List.of("fd00:99::22"), List.of("2001:db8::4"), List.of("2001:db8:1::/64"))
                        .withPolicies(true, false)));
        t.upsertEndpointSlice(slice6("ns2", "svc2", ProxyFixture.port("p80", 8080, Protocol.TCP),
                ProxyFixture.ready("fd00:180::2", ProxyFixture.NODE), ProxyFixture.ready("fd00:180::1:2", "node2")), -1);
        t.upsertService(new NamespacedName("ns3", "svc3"), List.of(
                ServicePortSpec.clusterIP(ProxyFixture.spn("ns3", "svc3", "p80", Protocol.TCP), "fd00:30::43", 80).withNodePort(30003)));
        t.upsertService(new NamespacedName("ns4", "svc4"), List.of(
                ServicePortSpec.clusterIP(ProxyFixture.spn("ns4", "svc4", "dns", Protocol.UDP), "fd00:30::44", 53).withAffinity(10800)));
        t.upsertEndpointSlice(slice6("ns4", "svc4", ProxyFixture.port("dns", 5353, Protocol.UDP),
                ProxyFixture.ready("fd00:180::4", ProxyFixture.NODE), ProxyFixture.ready("fd00:180::5", "node2")), -1);
        t.applyPending();
        return t;
    }

    static EndpointSliceSpec slice6(String ns, String svc, EndpointSliceSpec.Port port, EndpointSliceSpec.Endpoint... eps) {
        return new EndpointSliceSpec(ns, svc + "-v6", svc, "IPv6", List.of(port), List.of(eps));
    }

    static Service dualStackService() {
        return Json.read("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: ns}
                spec:
                  type: NodePort
                  ipFamilyPolicy: RequireDualStack
                  ipFamilies: [IPv6, IPv4]
                  clusterIP: fd00:30::60
                  clusterIPs: [fd00:30::60, 172.30.0.60]
                  externalIPs: [192.168.99.60, fd00:99::60]
                  ports: [{name: http, port: 80, nodePort: 30060, protocol: TCP}]
                """, Service.class);
    }

    @Test
    void eachFamilysProxierTakesItsOwnClusterIPAndAddresses() {
        Service svc = dualStackService();
        ServicePortSpec v4 = KubeObjectTranslation.servicePorts(svc, IpFamily.IPv4).get(0);
        ServicePortSpec v6 = KubeObjectTranslation.servicePorts(svc, IpFamily.IPv6).get(0);
        assertThat(v4.clusterIP()).isEqualTo("172.30.0.60");
        assertThat(v4.externalIPs()).containsExactly("192.168.99.60");
        assertThat(v6.clusterIP()).isEqualTo("fd00:30::60");
        assertThat(v6.externalIPs()).containsExactly("fd00:99::60");
        assertThat(v6.nodePort()).isEqualTo(30060);
        // A single-stack IPv6 Service is none of the IPv4 proxier's business, and the reverse.
        Service only6 = Json.read("apiVersion: v1\nkind: Service\nmetadata: {name: s6, namespace: ns}\nspec:\n  ipFamilies: [IPv6]\n"
                + "  clusterIP: fd00:30::61\n  clusterIPs: [fd00:30::61]\n  ports: [{port: 80}]\n", Service.class);
        assertThat(KubeObjectTranslation.servicePorts(only6, IpFamily.IPv4)).isEmpty();
        assertThat(KubeObjectTranslation.servicePorts(only6, IpFamily.IPv6)).hasSize(1);
        Service old4 = Json.read("apiVersion: v1\nkind: Service\nmetadata: {name: s4, namespace: ns}\nspec:\n"
                + "  clusterIP: 172.30.0.62\n  ports: [{port: 80}]\n", Service.class);
        assertThat(KubeObjectTranslation.servicePorts(old4, IpFamily.IPv6)).isEmpty();
        // clusterIPs that contradict ipFamilies: a clear error naming the Service.
        Service bad = Json.read("apiVersion: v1\nkind: Service\nmetadata: {name: bad, namespace: ns}\nspec:\n  ipFamilies: [IPv6]\n"
                + "  clusterIPs: [172.30.0.63]\n  ports: [{port: 80}]\n", Service.class);
        assertThatThrownBy(() -> KubeObjectTranslation.servicePorts(bad, IpFamily.IPv6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ns/bad").hasMessageContaining("IPv6");
    }

    @Test
    void endpointSlicesReachOnlyTheProxierOfTheirAddressType() {
        EndpointSlice es = Json.read("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-v6, namespace: ns, labels: {kubernetes.io/service-name: web}}
                addressType: IPv6
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints:
                - addresses: ["fd00:180::7"]
                """, EndpointSlice.class);
        for (IpFamily f : IpFamily.values()) {
            ServiceTracker t = new ServiceTracker("n", f);
            KubeObjectTranslation.load(t, List.of(dualStackService(), es));
            t.applyPending();
            ServicePortEntry entry = t.ports().values().iterator().next();
            if (f == IpFamily.IPv6) {
                assertThat(entry.endpoints()).extracting(EndpointInfo::address).containsExactly("[fd00:180::7]:8080");
            } else {
                assertThat(entry.endpoints()).isEmpty();
            }
        }
    }

    @Test
    void configRejectsAddressesOfTheOtherFamily() {
        assertThatThrownBy(() -> ProxyFixture.config().forFamily(IpFamily.IPv6, "192.168.0.10", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IPv6 address");
    }

    @Test
    void ipv6RulesMatchTheGoldenFiles() throws Exception {
        GoldenRulesTest.assertGolden("iptables-ipv6-full.txt", new IptablesRenderer(config6()).render(sample6(), Set.of(), true).text());
        GoldenRulesTest.assertGolden("nftables-ipv6-full.txt", new NftablesRenderer(config6()).render(sample6(), Set.of(), true).text());
    }

    @Test
    void tracersFollowAnIPv6PacketAndBothBackendsAgree() {
        ServiceTracker t = sample6();
        String ipt = new IptablesRenderer(config6()).render(t, Set.of(), true).text();
        String nft = new NftablesRenderer(config6()).render(t, Set.of(), true).text();
        assertThat(ipt).contains("-j DNAT --to-destination [fd00:180::1]:80\n", "! -d ::1/128 -j KUBE-NODEPORTS\n")
                .doesNotContain("KUBE-FIREWALL", "127.0.0.0/8");
        assertThat(nft).startsWith("add table ip6 kube-proxy ").contains("dnat to [fd00:180::1]:80\n", "type ipv6_addr")
                .doesNotContain(" ip daddr", " ip saddr", "ipv4_addr");
        IptablesTracer iptTracer = IptablesTracer.forRestoreInput(ipt, LOCAL6);
        NftablesTracer nftTracer = new NftablesTracer(LOCAL6).apply(nft);
        Map<String, Double> reached = nftTracer.trace(Packet.tcp("fd00:180::9", "fd00:30::41", 80)).endpoints();
        assertThat(reached).containsOnlyKeys("[fd00:180::1]:80", "[fd00:180::2]:80");
        assertThat(reached.values()).allSatisfy(p -> assertThat(p).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-9)));
        // From outside the pod CIDR: masqueraded.
        assertThat(nftTracer.trace(Packet.tcp("2001:db8:9::1", "fd00:30::41", 80)).masqueraded()).isTrue();
        // NodePort on the node's IPv6 address, Local policy: only the local endpoint.
        assertThat(nftTracer.trace(Packet.tcp("2001:db8:9::1", NODE_IP6, 30002)).endpoints()).containsOnlyKeys("[fd00:180::2]:8080");
        // No endpoints: rejected.
        assertThat(nftTracer.trace(Packet.tcp("fd00:180::9", "fd00:30::43", 80)).rejected()).isTrue();
        for (Packet p : probes6()) {
            assertThat(IptablesNetnsTest.rounded(nftTracer.trace(p))).as(p.toString())
                    .isEqualTo(IptablesNetnsTest.rounded(iptTracer.trace(p)));
        }
    }

    static List<Packet> probes6() {
        List<Packet> ps = new ArrayList<>();
        String[][] dsts = {{"fd00:30::41", "80"}, {"fd00:30::42", "80"}, {"fd00:99::22", "80"}, {"2001:db8::4", "80"},
            {NODE_IP6, "30002"}, {"fd00:30::43", "80"}, {NODE_IP6, "30003"}, {"2001:db8:77::1", "53"}};
        for (String[] d : dsts) {
            for (String src : new String[] {"fd00:180::9", "2001:db8:1::5", "2001:db8:9::1"}) {
                ps.add(Packet.tcp(src, d[0], Integer.parseInt(d[1])));
            }
            ps.add(Packet.tcp(NODE_IP6, d[0], Integer.parseInt(d[1])).fromThisHost());
        }
        ps.add(new Packet("fd00:180::9", "fd00:30::44", "udp", 53, false));
        return ps;
    }

    private static void assumeRootAnd(String... tools) {
        for (String tool : tools) {
            assumeTrue(NetworkNamespace.available(tool), tool + " not installed: skipping real-tool validation");
        }
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "not root: cannot create network namespaces; skipping real-tool validation");
    }

    @Test
    void ip6tablesAcceptsAppliesAndReadsBackTheIPv6Rules() throws Exception {
        assumeRootAnd("ip6tables-legacy-restore", "ip6tables-legacy-save", "ip6tables-legacy", "ip");
        IptablesRuleset rs = new IptablesRenderer(config6()).render(sample6(), Set.of(), true);
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-v6")) {
            IptablesNetnsTest.applyJumpRules(ns, IpFamily.IPv6);
            ns.exec(List.of("ip6tables-legacy-restore", "--test", "--noflush"), rs.text()).orThrow("ip6tables-restore --test");
            ns.exec(List.of("ip6tables-legacy-restore", "--noflush"), rs.text()).orThrow("ip6tables-restore");
            String saved = ns.exec(List.of("ip6tables-legacy-save"), (byte[]) null).orThrow("ip6tables-save").stdout();
            IptablesTracer ours = IptablesTracer.forRestoreInput(rs.text(), LOCAL6);
            IptablesTracer theirs = new IptablesTracer(IptablesRules.parse(saved), LOCAL6);
            for (Packet p : probes6()) {
                assertThat(IptablesNetnsTest.rounded(theirs.trace(p))).as(p.toString())
                        .isEqualTo(IptablesNetnsTest.rounded(ours.trace(p)));
            }
            // The IPv4 tables were not touched: the IPv6 proxier programs only ip6tables.
            String saved4 = ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).stdout();
            assertThat(saved4).doesNotContain("KUBE-SVC-");
        }
    }

    @Test
    void nftAcceptsAndAppliesTheIp6TableBesideTheIpOne() throws Exception {
        assumeRootAnd("nft", "ip");
        String v6 = new NftablesRenderer(config6()).render(sample6(), Set.of(), true).text();
        String v4 = new NftablesRenderer(ProxyFixture.config()).render(ProxyFixture.sample(), Set.of(), true).text();
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-nft6")) {
            ns.exec(List.of("nft", "-c", "-f", "-"), v6).orThrow("nft -c (ip6)");
            ns.exec(List.of("nft", "-f", "-"), v4).orThrow("nft -f (ip)");
            ns.exec(List.of("nft", "-f", "-"), v6).orThrow("nft -f (ip6)");
            String tables = ns.exec(List.of("nft", "list", "tables"), (byte[]) null).orThrow("nft list tables").stdout();
            assertThat(tables).contains("table ip kube-proxy", "table ip6 kube-proxy");
            String listed = ns.exec(List.of("nft", "list", "map", "ip6", "kube-proxy", "service-ips"), (byte[]) null)
                    .orThrow("nft list map").stdout();
            assertThat(listed).contains("fd00:30::41 . tcp . 80 : goto service-");
        }
    }

    @Test
    void ipvsRendersIPv6VirtualServersThatTheTracerFollows() throws Exception {
        io.kplane.proxy.ipvs.IpvsRuleset rs = new io.kplane.proxy.ipvs.IpvsRenderer(config6()).render(sample6());
        GoldenRulesTest.assertGolden("ipvs-ipv6.txt", "### ipvsadm-restore\n" + rs.ipvsadmRestore() + "### ip -batch\n"
                + rs.addressBatch() + "### ipset restore\n" + rs.ipsetRestore() + "### ip6tables-restore --noflush\n" + rs.iptablesRestore());
        assertThat(rs.ipvsadmRestore()).contains("-A -t [fd00:30::41]:80 -s rr\n", "-a -t [fd00:30::41]:80 -r [fd00:180::1]:80 -m -w 1\n",
                "-A -t [" + NODE_IP6 + "]:30002 -s rr\n");
        assertThat(rs.addressBatch()).contains("address add fd00:30::41/128 dev kube-ipvs0\n");
        assertThat(io.kplane.proxy.ipvs.IpvsadmText.format(io.kplane.proxy.ipvs.IpvsadmText.parse(rs.ipvsadmRestore()).values()))
                .isEqualTo(rs.ipvsadmRestore());
        io.kplane.proxy.ipvs.IpvsTracer tracer = new io.kplane.proxy.ipvs.IpvsTracer(rs, LOCAL6);
        assertThat(tracer.trace(Packet.tcp("fd00:180::9", "fd00:30::41", 80)).endpoints())
                .containsOnlyKeys("[fd00:180::1]:80", "[fd00:180::2]:80");
        if (NetworkNamespace.available("ipset") && ProcessHandle.current().info().user().orElse("").equals("root")) {
            try (NetworkNamespace ns = NetworkNamespace.create("kplane-ipvs6")) {
                ns.exec(List.of("ipset", "restore"), rs.ipsetRestore()).orThrow("ipset restore (inet6)");
                ns.exec(List.of("ip6tables-legacy-restore", "--test", "--noflush"), rs.iptablesRestore()).orThrow("ip6tables-restore --test");
            }
        }
    }

    @Test
    void theIPv6ProxierRemovesChainsAnEarlierOneLeftInTheIp6Table() throws Exception {
        assumeRootAnd("nft", "ip");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-left6")) {
            RulesApplier applier = RulesApplier.nftablesInNamespace(ns, IpFamily.IPv6);
            ServiceTracker before = sample6();
            applier.apply(new NftablesRenderer(config6()).render(before, Set.of(), true).text(), true);
            // The IPv4 table holds chains of its own, which the IPv6 proxier must not count.
            ns.exec(List.of("nft", "-f", "-"), new NftablesRenderer(ProxyFixture.config()).render(ProxyFixture.sample(), Set.of(), true).text())
                    .orThrow("nft -f (ip)");
            Set<String> existing = applier.existingChains();
            assertThat(existing).anyMatch(c -> c.contains("ns1/svc1/tcp/p80")).noneMatch(c -> c.contains("ns9/svc9"));
            // A new process after svc1 went away: it adopts what exists, and its syncs remove svc1's chains.
            ServiceTracker after = sample6();
            after.deleteService(new NamespacedName("ns1", "svc1"));
            after.applyPending();
            NftablesRenderer fresh = new NftablesRenderer(config6());
            fresh.adoptExistingChains(existing);
            applier.apply(fresh.render(after, Set.of(), true).text(), true);
            applier.apply(fresh.render(after, Set.of(), false).text(), false);
            assertThat(applier.existingChains()).noneMatch(c -> c.contains("ns1/svc1/")).anyMatch(c -> c.contains("ns4/svc4"));
        }
    }
}
