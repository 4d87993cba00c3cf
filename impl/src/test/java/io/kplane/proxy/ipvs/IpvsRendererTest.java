package io.kplane.proxy.ipvs;

import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.Packet;
import io.kplane.proxy.ProxyFixture;
import io.kplane.proxy.Trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPVS mode: the ipvsadm text round-trips through the parser, the ipsets and helper rules are
 * accepted by the real {@code ipset} and {@code iptables-legacy-restore} in a test namespace, and
 * the traced routing matches the service semantics. (The kernel here has no ip_vs and no dummy
 * interfaces, so virtual servers and kube-ipvs0 are validated by parsing.)
 */
class IpvsRendererTest {
    private static final List<String> NODE = List.of(ProxyFixture.NODE_IP, "127.0.0.1");

    private static IpvsRuleset render() {
        return new IpvsRenderer(ProxyFixture.config()).render(ProxyFixture.sample());
    }

    @Test
    void virtualServersRoundTripThroughTheParser() {
        IpvsRuleset rs = render();
        Map<IpvsadmText.VirtualKey, IpvsadmText.VirtualServer> parsed = IpvsadmText.parse(rs.ipvsadmRestore());
        assertThat(IpvsadmText.format(parsed.values())).isEqualTo(rs.ipvsadmRestore());
        assertThat(parsed).hasSize(rs.virtualServers());
        assertThat(parsed.values().stream().mapToInt(v -> v.reals().size()).sum()).isEqualTo(rs.realServers());
        assertThat(rs.ipvsadmRestore()).contains(
                "-A -t 172.30.0.41:80 -s rr\n-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1\n-a -t 172.30.0.41:80 -r 10.180.0.2:80 -m -w 1\n",
                "-A -u 172.30.0.44:53 -s rr -p 10800\n",
                "-A -t 192.168.0.10:30002 -s rr\n-a -t 192.168.0.10:30002 -r 10.180.0.2:8080 -m -w 1\n",
                "-A --sctp-service 172.30.0.48:7777 -s rr\n");
        assertThat(rs.addressBatch()).contains("address add 172.30.0.41/32 dev kube-ipvs0\n", "address add 1.2.3.4/32 dev kube-ipvs0\n",
                "address add 192.168.99.22/32 dev kube-ipvs0\n");
        IpsetText sets = IpsetText.parse(rs.ipsetRestore());
        assertThat(sets.sets().get("KUBE-CLUSTER-IP").entries()).contains("172.30.0.41,tcp:80", "172.30.0.44,udp:53");
        assertThat(sets.sets().get("KUBE-NODE-PORT-TCP").entries()).containsExactlyInAnyOrder("30002", "30003", "30005");
        assertThat(sets.sets().get("KUBE-NODE-PORT-LOCAL-TCP").entries()).containsExactly("30002");
        assertThat(sets.sets().get("KUBE-LOOP-BACK").entries()).contains("10.180.0.1,tcp:80,10.180.0.1");
        assertThat(sets.sets().get("KUBE-LOAD-BALANCER-SOURCE-CIDR").entries()).containsExactly("5.6.7.8,tcp:80,203.0.113.0/25");
    }

    @Test
    void schedulerIsSelectable() {
        IpvsRuleset rs = new IpvsRenderer(ProxyFixture.config().withIpvsScheduler("lc")).render(ProxyFixture.sample());
        assertThat(rs.ipvsadmRestore()).contains("-A -t 172.30.0.41:80 -s lc\n").doesNotContain(" -s rr");
    }

    @Test
    void parserRejectsWhatIpvsadmRejects() {
        assertThatThrownBy(() -> IpvsadmText.parse("-a -t 10.0.0.1:80 -r 10.1.1.1:80 -m -w 1\n"))
                .hasMessageContaining("line 1").hasMessageContaining("no such service");
        assertThatThrownBy(() -> IpvsadmText.parse("-A -t 10.0.0.1:80 -s fastest\n")).hasMessageContaining("unknown scheduler");
        assertThatThrownBy(() -> IpvsadmText.parse("-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s rr\n"))
                .hasMessageContaining("line 2").hasMessageContaining("already exists");
        assertThatThrownBy(() -> IpvsadmText.parse("-A -t 10.0.0.300:80 -s rr\n")).hasMessageContaining("not an IP address: 10.0.0.300");
        assertThatThrownBy(() -> IpvsadmText.parse("-A -t [fd00::1::2]:80 -s rr\n")).hasMessageContaining("not an IP address: fd00::1::2");
        assertThatThrownBy(() -> IpsetText.parse("create S hash:ip,port\nadd S 10.0.0.1,tcp\n")).hasMessageContaining("bad hash:ip,port entry");
        assertThatThrownBy(() -> IpsetText.parse("add S 1\n")).hasMessageContaining("does not exist");
    }

    @Test
    void tracedRoutingFollowsTheServices() {
        IpvsTracer tr = new IpvsTracer(render(), NODE);
        Map<String, Double> eps = tr.trace(Packet.tcp("10.1.2.3", "172.30.0.41", 80)).endpoints();
        assertThat(eps).containsOnlyKeys("10.180.0.1:80", "10.180.0.2:80");
        eps.values().forEach(p -> assertThat(p).isCloseTo(0.5, within(1e-9)));
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "172.30.0.41", 80)).notMasqueraded()).isTrue();
        assertThat(tr.trace(Packet.tcp("198.51.100.1", "172.30.0.41", 80)).masqueraded()).isTrue();
        // Hairpin through KUBE-LOOP-BACK.
        assertThat(tr.trace(Packet.tcp("10.180.0.1", "172.30.0.41", 80)).outcomes())
                .anyMatch(o -> "10.180.0.1:80".equals(o.endpoint()) && o.masquerade());
        // externalTrafficPolicy Local: NodePort reaches only the local endpoint, source kept.
        Trace np = tr.trace(Packet.tcp("203.0.113.9", ProxyFixture.NODE_IP, 30002));
        assertThat(np.endpoints()).containsOnlyKeys("10.180.0.2:8080");
        assertThat(np.notMasqueraded()).isTrue();
        // Source ranges.
        assertThat(tr.trace(Packet.tcp("203.0.113.9", "5.6.7.8", 80)).endpoints()).containsOnlyKeys("10.180.0.7:80");
        assertThat(tr.trace(Packet.tcp("203.0.113.200", "5.6.7.8", 80)).dropped()).isTrue();
        // No endpoints: the virtual server has no real server.
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "172.30.0.43", 80)).dropped()).isTrue();
        // Only the terminating-but-serving endpoint, with weight 0: IPVS sends new connections nowhere.
        assertThat(tr.trace(Packet.tcp("10.1.2.3", "172.30.0.47", 80)).dropped()).isTrue();
    }

    @Test
    void realIpsetAndIptablesAcceptTheSetsAndHelperRules() throws Exception {
        assumeTrue(NetworkNamespace.available("ipset") && NetworkNamespace.available("iptables-legacy-restore")
                && NetworkNamespace.available("ip"), "ipset / iptables-legacy / ip not installed: skipping real-tool validation");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "not root: skipping real-tool validation");
        IpvsRuleset rs = render();
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-test")) {
            ns.exec(List.of("ipset", "restore"), rs.ipsetRestore()).orThrow("ipset restore");
            // Restoring again must work too (kube-proxy re-syncs): -exist makes create/add idempotent.
            ns.exec(List.of("ipset", "-exist", "restore"), rs.ipsetRestore()).orThrow("ipset -exist restore");
            String saved = ns.exec(List.of("ipset", "save"), (byte[]) null).orThrow("ipset save").stdout();
            List<String> savedLines = new ArrayList<>();
            for (String l : saved.split("\n")) {
                // ipset save prints its own create options; keep the adds and the set types.
                if (l.startsWith("add ")) {
                    savedLines.add(l.replaceAll(" comment \"[^\"]*\"", ""));
                }
            }
            IpsetText ours = IpsetText.parse(rs.ipsetRestore());
            List<String> expected = new ArrayList<>();
            ours.sets().values().forEach(s -> s.entries().forEach(e -> expected.add("add " + s.name() + " " + e)));
            assertThat(savedLines).containsExactlyInAnyOrderElementsOf(expected);

            ns.exec(List.of("iptables-legacy-restore", "--test", "--noflush"), rs.iptablesRestore()).orThrow("restore --test");
            ns.exec(List.of("iptables-legacy-restore", "--noflush"), rs.iptablesRestore()).orThrow("restore");
            String natSaved = ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).orThrow("save").stdout();
            assertThat(natSaved).contains("-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT");
        }
    }
}
