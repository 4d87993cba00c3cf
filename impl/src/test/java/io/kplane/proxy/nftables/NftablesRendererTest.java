package io.kplane.proxy.nftables;

import io.kplane.proxy.iptables.IptablesNetnsTest;
import io.kplane.proxy.ChainNames;
import io.kplane.proxy.NamespacedName;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.Packet;
import io.kplane.proxy.Protocol;
import io.kplane.proxy.ProxyFixture;
import io.kplane.proxy.ServiceTracker;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesTracer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The nftables renderer: golden lines, the same routing as the iptables backend (traced), partial
 * sync, and the real {@code nft} accepting and applying it inside a namespace this test creates.
 */
class NftablesRendererTest {
    private static final List<String> LOCAL = List.of(ProxyFixture.NODE_IP, "127.0.0.1");

    private static NftablesRuleset full(ServiceTracker t) {
        return new NftablesRenderer(ProxyFixture.config()).render(t, Set.of(), true);
    }

    @Test
    void usesKubeProxysStructureAndNames() {
        String text = full(ProxyFixture.sample()).text();
        // sha256("ns1/svc1/tcp/p80") -> ULMVA6XW...; sha256("ns1/svc1/tcp/p80__10.180.0.1/80") -> 5OJB2KTY...
        assertThat(text).startsWith("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n").contains(
                "add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }\n",
                "add chain ip kube-proxy filter-output-post-dnat { type filter hook output priority -90 ; }\n",
                "add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips\n",
                "add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }\n",
                "add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade\n",
                "add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80\n",
                "add element ip kube-proxy no-endpoint-services { 172.30.0.43 . tcp . 80 comment \"ns3/svc3:p80\" : goto reject-chain }\n",
                "add element ip kube-proxy no-endpoint-nodeports { tcp . 30003 comment \"ns3/svc3:p80\" : goto reject-chain }\n",
                "add rule ip kube-proxy masquerading masquerade fully-random\n");
        assertThat(text).containsPattern("numgen random mod 2 vmap \\{ 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 , 1 : goto endpoint-\\S+ }\n");
        assertThat(text).contains("flags dynamic,timeout ; timeout 10800s ;");
    }

    @Test
    void routesEveryProbeLikeTheIptablesBackend() {
        ServiceTracker t = ProxyFixture.sample();
        NftablesTracer nft = new NftablesTracer(LOCAL).apply(full(t).text());
        IptablesTracer ipt = IptablesTracer.forRestoreInput(
                new IptablesRenderer(ProxyFixture.config()).render(t, Set.of(), true).text(), LOCAL);
        for (Packet p : IptablesNetnsTest.probes()) {
            assertThat(IptablesNetnsTest.rounded(nft.trace(p))).as(p.toString())
                    .isEqualTo(IptablesNetnsTest.rounded(ipt.trace(p)));
        }
    }

    @Test
    void rejectsTrafficToUndefinedPortsOfClusterIPs() {
        // Unlike the iptables mode, the nftables mode rejects a cluster IP's undefined ports.
        NftablesTracer nft = new NftablesTracer(LOCAL).apply(full(ProxyFixture.sample()).text());
        assertThat(nft.trace(Packet.tcp("10.1.2.3", "172.30.0.41", 81)).rejected()).isTrue();
    }

    @Test
    void partialSyncTouchesOnlyTheChangedServiceAndItsElements() {
        ServiceTracker t = ProxyFixture.sample();
        NftablesRenderer r = new NftablesRenderer(ProxyFixture.config());
        NftablesRuleset first = r.render(t, Set.of(), true);
        t.upsertEndpointSlice(ProxyFixture.slice("ns1", "svc1", "svc1-abc", List.of(ProxyFixture.port("p80", 80, Protocol.TCP)),
                ProxyFixture.ready("10.180.0.1", ProxyFixture.NODE), ProxyFixture.ready("10.180.0.3", "node2")), -1);
        t.deleteService(new NamespacedName("ns9", "svc9"));
        NftablesRuleset partial = r.render(t, t.applyPending().services(), false);
        assertThat(partial.full()).isFalse();
        assertThat(partial.servicesWritten()).isEqualTo(1);
        assertThat(partial.text()).doesNotContain("add table").doesNotContain("ns2/svc2")
                .contains("delete element ip kube-proxy service-ips { 172.30.0.49 . tcp . 80 }\n")
                .contains("flush chain ip kube-proxy endpoint-" + ChainNames.nftEndpointBase(
                        ProxyFixture.spn("ns1", "svc1", "p80", Protocol.TCP), "10.180.0.2", 80) + "\n");
        assertThat(partial.staleChains()).hasSize(7); // 1 old endpoint of svc1 + 2 service and 4 endpoint chains of svc9
        // The next sync deletes the flushed chains.
        NftablesRuleset next = r.render(t, t.applyPending().services(), false);
        assertThat(next.text().lines().filter(l -> l.startsWith("delete chain")).count()).isEqualTo(7);

        NftablesTracer applied = new NftablesTracer(LOCAL).apply(first.text()).apply(partial.text()).apply(next.text());
        NftablesTracer fresh = new NftablesTracer(LOCAL).apply(full(t).text());
        assertThat(applied.chainNames()).containsExactlyInAnyOrderElementsOf(fresh.chainNames());
        assertThat(applied.map("service-ips")).isEqualTo(fresh.map("service-ips"));
        for (Packet p : IptablesNetnsTest.probes()) {
            assertThat(IptablesNetnsTest.rounded(applied.trace(p))).as(p.toString())
                    .isEqualTo(IptablesNetnsTest.rounded(fresh.trace(p)));
        }
    }

    @Test
    void nodePortsAnswerOnlyOnTheNodesPrimaryIPByDefault() {
        // The node also owns 10.9.9.9; upstream's default (--nodeport-addresses=primary) puts only
        // the node IP in the nodeport-ips set, so a NodePort on 10.9.9.9 is not load-balanced.
        List<String> local = List.of(ProxyFixture.NODE_IP, "10.9.9.9", "127.0.0.1");
        String text = full(ProxyFixture.sample()).text();
        assertThat(text).contains("add element ip kube-proxy nodeport-ips { " + ProxyFixture.NODE_IP + " }\n",
                "add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n")
                .doesNotContain("delete set ip kube-proxy nodeport-ips");
        NftablesTracer primary = new NftablesTracer(local).apply(text);
        // svc5's NodePort 30005 has an endpoint on node2; svc3's 30003 has none (rejected).
        assertThat(primary.trace(Packet.tcp("10.1.2.3", ProxyFixture.NODE_IP, 30005)).endpoints()).containsOnlyKeys("10.180.0.7:80");
        assertThat(primary.trace(Packet.tcp("10.1.2.3", "10.9.9.9", 30005)).untouched()).isTrue();
        assertThat(primary.trace(Packet.tcp("10.1.2.3", ProxyFixture.NODE_IP, 30003)).rejected()).isTrue();
        assertThat(primary.trace(Packet.tcp("10.1.2.3", "10.9.9.9", 30003)).rejected()).isFalse();

        // --nodeport-addresses=0.0.0.0/0: every local address but localhost, and no set.
        String all = new NftablesRenderer(ProxyFixture.config().withNodePortsOnAllAddresses(true))
                .render(ProxyFixture.sample(), Set.of(), true).text();
        assertThat(all).contains("delete set ip kube-proxy nodeport-ips\n", "fib daddr type local ip daddr != 127.0.0.0/8");
        assertThat(new NftablesTracer(local).apply(all).trace(Packet.tcp("10.1.2.3", "10.9.9.9", 30005)).endpoints())
                .containsOnlyKeys("10.180.0.7:80");
    }

    @Test
    void realNftAcceptsAndAppliesFullAndPartialSyncsInATestNamespace() throws Exception {
        assumeTrue(NetworkNamespace.available("nft") && NetworkNamespace.available("ip"),
                "nft / ip not installed: skipping real-tool validation (.ci/run installs them)");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "not root: cannot create network namespaces; skipping real-tool validation");
        ServiceTracker t = ProxyFixture.sample();
        NftablesRenderer r = new NftablesRenderer(ProxyFixture.config());
        NftablesRuleset first = r.render(t, Set.of(), true);
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-test")) {
            ns.exec(List.of("nft", "-c", "-f", "-"), first.text()).orThrow("nft -c");
            ns.exec(List.of("nft", "-f", "-"), first.text()).orThrow("nft -f");
            t.upsertEndpointSlice(ProxyFixture.slice("ns1", "svc1", "svc1-abc", List.of(ProxyFixture.port("p80", 80, Protocol.TCP)),
                    ProxyFixture.ready("10.180.0.3", "node2")), -1);
            t.deleteService(new NamespacedName("ns9", "svc9"));
            NftablesRuleset partial = r.render(t, t.applyPending().services(), false);
            ns.exec(List.of("nft", "-f", "-"), partial.text()).orThrow("nft -f partial");
            NftablesRuleset next = r.render(t, t.applyPending().services(), false);
            ns.exec(List.of("nft", "-f", "-"), next.text()).orThrow("nft -f stale deletion");
            // A second full resync on the live table also applies (flushes maps, re-adds everything).
            ns.exec(List.of("nft", "-f", "-"), r.render(t, Set.of(), true).text()).orThrow("nft -f resync");

            String listed = ns.exec(List.of("nft", "list", "table", "ip", "kube-proxy"), (byte[]) null).orThrow("nft list").stdout();
            NftablesTracer expected = new NftablesTracer(LOCAL).apply(full(t).text());
            long chainCount = listed.lines().filter(l -> l.startsWith("\tchain ")).count();
            assertThat(chainCount).isEqualTo(expected.chainNames().size());
            for (String chain : expected.chainNames()) {
                assertThat(listed).contains("\tchain " + chain + " {");
            }
            assertThat(listed).contains("172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80")
                    .doesNotContain("ns9/svc9");
        }
    }
}
