package io.kplane.proxy.iptables;

import io.kplane.proxy.ChainNames;
import io.kplane.proxy.NamespacedName;
import io.kplane.proxy.Packet;
import io.kplane.proxy.Protocol;
import io.kplane.proxy.ProxyFixture;
import io.kplane.proxy.ServicePortSpec;
import io.kplane.proxy.ServiceTracker;
import io.kplane.proxy.Trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The iptables renderer: golden lines (names hashed by hand), routing via the tracer, partial sync. */
class IptablesRendererTest {
    private static final List<String> LOCAL = List.of(ProxyFixture.NODE_IP, "127.0.0.1");

    private static IptablesRuleset full(ServiceTracker t) {
        return new IptablesRenderer(ProxyFixture.config()).render(t, Set.of(), true);
    }

    @Test
    void clusterIPServiceHasKubeProxysExactLines() {
        String text = full(ProxyFixture.sample()).text();
        // sha256("ns1/svc1:p80tcp") -> XPGD46QRK7WJZT7O; sha256("ns1/svc1:p80tcp10.180.0.1:80") -> SXIVWICOYRO3J4NJ
        assertThat(text).contains(
                "-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n",
                "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:80\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ\n",
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ\n",
                "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80\n",
                ":KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n",
                "-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
        assertThat(text).startsWith("*filter\n").endsWith(
                "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\nCOMMIT\n");
    }

    @Test
    void probabilitiesHaveTenDecimalsAndTheLastEndpointNone() {
        String text = full(ProxyFixture.scale(1, 7)).text();
        assertThat(text).contains("--probability 0.1428571429 ", "--probability 0.1666666667 ", "--probability 0.2000000000 ",
                "--probability 0.2500000000 ", "--probability 0.3333333333 ", "--probability 0.5000000000 ");
        long statistic = text.lines().filter(l -> l.contains("-m statistic")).count();
        assertThat(statistic).isEqualTo(6);
    }

    @Test
    void serviceWithoutEndpointsIsRejectedInFilterAndHasNoNatChains() {
        IptablesRuleset rs = full(ProxyFixture.sample());
        assertThat(rs.text()).contains(
                "-A KUBE-SERVICES -m comment --comment \"ns3/svc3:p80 has no endpoints\" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j REJECT\n",
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns3/svc3:p80 has no endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30003 -j REJECT\n")
                .doesNotContain(ChainNames.serviceChain("ns3/svc3:p80", "tcp"));
        IptablesTracer tr = IptablesTracer.forRestoreInput(rs.text(), LOCAL);
        assertThat(tr.trace(Packet.tcp("10.1.1.1", "172.30.0.43", 80)).rejected()).isTrue();
        assertThat(tr.trace(Packet.tcp("203.0.113.5", ProxyFixture.NODE_IP, 30003)).rejected()).isTrue();
    }

    @Test
    void tracerSpreadsClusterIPTrafficEvenlyAndMasqueradesOffClusterSources() {
        IptablesTracer tr = IptablesTracer.forRestoreInput(full(ProxyFixture.sample()).text(), LOCAL);
        Trace fromPod = tr.trace(Packet.tcp("10.1.2.3", "172.30.0.41", 80));
        assertThat(fromPod.endpoints()).containsOnlyKeys("10.180.0.1:80", "10.180.0.2:80");
        fromPod.endpoints().values().forEach(p -> assertThat(p).isCloseTo(0.5, within(1e-9)));
        assertThat(fromPod.notMasqueraded()).isTrue();
        assertThat(tr.trace(Packet.tcp("198.51.100.7", "172.30.0.41", 80)).masqueraded()).isTrue();
        // Hairpin: an endpoint reaching itself through the service is masqueraded on that path only.
        Trace hairpin = tr.trace(Packet.tcp("10.180.0.1", "172.30.0.41", 80));
        assertThat(hairpin.outcomes()).anyMatch(o -> o.endpoint().equals("10.180.0.1:80") && o.masquerade())
                .anyMatch(o -> o.endpoint().equals("10.180.0.2:80") && !o.masquerade());
        // A three-way split.
        Map<String, Double> udp = tr.trace(new Packet("10.1.2.3", "172.30.0.44", "udp", 53, false)).endpoints();
        assertThat(udp).hasSize(3);
        udp.values().forEach(p -> assertThat(p).isCloseTo(1.0 / 3, within(1e-9)));
        // Not a service: untouched.
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "8.8.8.8", 53)).untouched()).isTrue();
        // Wrong port of a cluster IP: untouched by nat (kube-proxy's iptables mode does not reject it).
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "172.30.0.41", 81)).untouched()).isTrue();
    }

    @Test
    void externalTrafficPolicyLocalKeepsExternalTrafficOnThisNodeAndShortCircuitsPods() {
        IptablesTracer tr = IptablesTracer.forRestoreInput(full(ProxyFixture.sample()).text(), LOCAL);
        // External client to the NodePort: only the local endpoint, source preserved.
        Trace ext = tr.trace(Packet.tcp("203.0.113.9", ProxyFixture.NODE_IP, 30002));
        assertThat(ext.endpoints()).containsOnlyKeys("10.180.0.2:8080");
        assertThat(ext.notMasqueraded()).isTrue();
        // Same for the LoadBalancer IP and the external IP.
        assertThat(tr.trace(Packet.tcp("203.0.113.9", "1.2.3.4", 80)).endpoints()).containsOnlyKeys("10.180.0.2:8080");
        assertThat(tr.trace(Packet.tcp("203.0.113.9", "192.168.99.22", 80)).endpoints()).containsOnlyKeys("10.180.0.2:8080");
        // A pod on this node going to the LB IP is short-circuited to all cluster endpoints.
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "1.2.3.4", 80)).endpoints()).containsOnlyKeys("10.180.0.2:8080", "10.180.1.2:8080");
        // The node itself: cluster endpoints, masqueraded.
        Trace host = tr.trace(Packet.tcp(ProxyFixture.NODE_IP, "1.2.3.4", 80).fromThisHost());
        assertThat(host.endpoints()).containsOnlyKeys("10.180.0.2:8080", "10.180.1.2:8080");
        assertThat(host.masqueraded()).isTrue();
    }

    @Test
    void loadBalancerSourceRangesAdmitOnlyListedSources() {
        IptablesTracer tr = IptablesTracer.forRestoreInput(full(ProxyFixture.sample()).text(), LOCAL);
        Trace allowed = tr.trace(Packet.tcp("203.0.113.9", "5.6.7.8", 80));
        assertThat(allowed.endpoints()).containsOnlyKeys("10.180.0.7:80");
        assertThat(allowed.masqueraded()).isTrue();
        assertThat(tr.trace(Packet.tcp("203.0.113.200", "5.6.7.8", 80)).dropped()).isTrue();
    }

    @Test
    void internalTrafficPolicyLocalWithoutLocalEndpointsDrops() {
        IptablesRuleset rs = full(ProxyFixture.sample());
        assertThat(rs.text()).contains("-A KUBE-SERVICES -m comment --comment \"ns6/svc6:p80 has no local endpoints\" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j DROP\n");
        assertThat(IptablesTracer.forRestoreInput(rs.text(), LOCAL).trace(Packet.tcp("10.1.2.3", "172.30.0.46", 80)).dropped()).isTrue();
    }

    @Test
    void terminatingButServingEndpointsAreUsedOnlyWhenNothingIsReady() {
        IptablesTracer tr = IptablesTracer.forRestoreInput(full(ProxyFixture.sample()).text(), LOCAL);
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "172.30.0.47", 80)).endpoints()).containsOnlyKeys("10.180.0.9:80");
    }

    @Test
    void sessionAffinitySendsAKnownClientBackToItsEndpoint() {
        String text = full(ProxyFixture.sample()).text();
        String sep = ChainNames.endpointChain("ns4/svc4:dns", "udp", "10.180.0.5:5353");
        assertThat(text).contains("-m recent --name " + sep + " --rcheck --seconds 10800 --reap -j " + sep + "\n",
                "-m recent --name " + sep + " --set -m udp -p udp -j DNAT --to-destination 10.180.0.5:5353\n");
        IptablesTracer tr = IptablesTracer.forRestoreInput(text, LOCAL).withRecent(sep, "10.9.9.9");
        assertThat(tr.trace(new Packet("10.9.9.9", "172.30.0.44", "udp", 53, false)).endpoints())
                .containsOnlyKeys("10.180.0.5:5353");
    }

    @Test
    void largeClusterModeDropsPerEndpointComments() {
        IptablesRuleset rs = full(ProxyFixture.scale(120, 10)); // 1200 endpoints > 1000
        assertThat(rs.text()).doesNotContain("-m comment --comment scale/svc0:http -s")
                .doesNotContain("\"scale/svc0:http -> ")
                .contains("-m comment --comment \"scale/svc0:http cluster IP\"");
        IptablesRuleset small = full(ProxyFixture.scale(99, 10)); // 990 endpoints
        assertThat(small.text()).contains("-m comment --comment scale/svc0:http -s");
    }

    @Test
    void partialSyncRewritesOnlyTheChangedServiceAndDeletesItsStaleChains() {
        ServiceTracker t = ProxyFixture.sample();
        IptablesRenderer r = new IptablesRenderer(ProxyFixture.config());
        IptablesRuleset first = r.render(t, Set.of(), true);
        assertThat(first.full()).isTrue();

        // Replace svc1's endpoint 10.180.0.2 by 10.180.0.3.
        t.upsertEndpointSlice(ProxyFixture.slice("ns1", "svc1", "svc1-abc",
                List.of(ProxyFixture.port("p80", 80, Protocol.TCP)),
                ProxyFixture.ready("10.180.0.1", ProxyFixture.NODE), ProxyFixture.ready("10.180.0.3", "node2")), -1);
        ServiceTracker.Changes ch = t.applyPending();
        assertThat(ch.services()).containsExactly(new NamespacedName("ns1", "svc1"));
        IptablesRuleset partial = r.render(t, ch.services(), false);

        assertThat(partial.full()).isFalse();
        assertThat(partial.servicesWritten()).isEqualTo(1);
        String oldSep = ChainNames.endpointChain("ns1/svc1:p80", "tcp", "10.180.0.2:80");
        String newSep = ChainNames.endpointChain("ns1/svc1:p80", "tcp", "10.180.0.3:80");
        assertThat(partial.deletedChains()).containsExactly(oldSep);
        assertThat(partial.text()).contains(":" + oldSep + " - [0:0]\n", "-X " + oldSep + "\n", ":" + newSep + " - [0:0]\n")
                // other services: their KUBE-SERVICES jump is rewritten, their own chains are not
                .contains("-j " + ChainNames.serviceChain("ns9/svc9:http", "tcp") + "\n")
                .doesNotContain(":" + ChainNames.serviceChain("ns9/svc9:http", "tcp"))
                .doesNotContain("-A " + ChainNames.serviceChain("ns9/svc9:http", "tcp"));
        assertThat(partial.natRules()).isLessThan(first.natRules());
        assertThat(partial.natRulesTotal()).isEqualTo(first.natRulesTotal());

        // Applying the partial sync on top of the full one gives what a fresh full render gives.
        IptablesRules applied = IptablesRules.parse(first.text() + partial.text());
        IptablesRules fresh = IptablesRules.parse(full(t).text());
        assertThat(applied.table("nat").keySet()).containsExactlyInAnyOrderElementsOf(fresh.table("nat").keySet());
        fresh.table("nat").forEach((chain, rules) -> assertThat(applied.chain("nat", chain))
                .extracting(IptablesRules.Rule::text)
                .as(chain).containsExactlyElementsOf(rules.stream().map(IptablesRules.Rule::text).toList()));
        IptablesTracer tr = IptablesTracer.forRestoreInput(first.text() + partial.text(), LOCAL);
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "172.30.0.41", 80)).endpoints()).containsOnlyKeys("10.180.0.1:80", "10.180.0.3:80");
    }

    @Test
    void deletingAServiceRemovesAllItsChains() {
        ServiceTracker t = ProxyFixture.sample();
        IptablesRenderer r = new IptablesRenderer(ProxyFixture.config());
        r.render(t, Set.of(), true);
        t.deleteService(new NamespacedName("ns9", "svc9"));
        IptablesRuleset partial = r.render(t, t.applyPending().services(), false);
        assertThat(partial.deletedChains()).hasSize(6).contains(ChainNames.serviceChain("ns9/svc9:https", "tcp"));
        assertThat(r.installedChains()).doesNotContainAnyElementsOf(partial.deletedChains());
        // Nothing changed: a partial sync writes only the top-level chains.
        IptablesRuleset idle = r.render(t, t.applyPending().services(), false);
        assertThat(idle.servicesWritten()).isZero();
        assertThat(idle.deletedChains()).isEmpty();
    }

    @Test
    void unchangedEventsAreNotChanges() {
        ServiceTracker t = ProxyFixture.sample();
        assertThat(t.upsertService(new NamespacedName("ns1", "svc1"), List.of(
                ServicePortSpec.clusterIP(ProxyFixture.spn("ns1", "svc1", "p80", Protocol.TCP), "172.30.0.41", 80)))).isFalse();
        assertThat(t.hasPending()).isFalse();
        assertThat(t.deleteEndpointSlice("ns1", "nope")).isFalse();
    }
}
