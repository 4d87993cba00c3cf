package io.kplane.proxy;

import io.kplane.proxy.iptables.IptablesNetnsTest;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesRuleset;
import io.kplane.proxy.nftables.NftablesRenderer;
import io.kplane.proxy.nftables.NftablesRuleset;
import io.kplane.proxy.nftables.NftablesTracer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A new proxy process removes the per-service chains an earlier one left in the kernel: it lists
 * what exists before its first full sync, as upstream does. Checked with the real tools inside a
 * network namespace this test creates (skipped without them or without root).
 */
class LeftoverChainsTest {

    private static void assumeTools(String... tools) {
        for (String t : tools) {
            assumeTrue(NetworkNamespace.available(t), t + " not installed: skipping real-tool validation");
        }
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "not root: cannot create network namespaces; skipping real-tool validation");
    }

    /** The sample cluster after svc1 and svc4 went away while no proxy was running. */
    private static ServiceTracker withoutSvc1AndSvc4() {
        ServiceTracker t = ProxyFixture.sample();
        t.deleteService(new NamespacedName("ns1", "svc1"));
        t.deleteService(new NamespacedName("ns4", "svc4"));
        t.applyPending();
        return t;
    }

    @Test
    void listingsAreParsedIntoKubeProxysPerServiceChains() {
        String saved = """
                *nat
                :PREROUTING ACCEPT [0:0]
                :KUBE-SERVICES - [0:0]
                :KUBE-SVC-ULMVA6XWFP5PEJCN - [0:0]
                :KUBE-SEP-5OJB2KTY2LVYXMFC - [0:0]
                :KUBE-MARK-MASQ - [0:0]
                COMMIT
                """;
        assertThat(ExistingChains.fromIptablesSave(saved)).containsExactly("KUBE-SEP-5OJB2KTY2LVYXMFC", "KUBE-SVC-ULMVA6XWFP5PEJCN");
        String listed = """
                table ip other {
                \tchain x/y {
                \t}
                }
                table ip kube-proxy {
                \tchain services {
                \t}
                \tchain service-ULMVA6XW-ns1/svc1/tcp/p80 {
                \t}
                \tchain filter-input {
                \t\ttype filter hook input priority -110; policy accept;
                \t}
                }
                """;
        assertThat(ExistingChains.fromNftList(listed)).containsExactly("service-ULMVA6XW-ns1/svc1/tcp/p80");
    }

    @Test
    void nftablesChainsOfAnEarlierProcessAreDeleted() throws Exception {
        assumeTools("nft", "ip");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-leftover-nft")) {
            RulesApplier applier = RulesApplier.nftablesInNamespace(ns);
            applier.apply(new NftablesRenderer(ProxyFixture.config()).render(ProxyFixture.sample(), Set.of(), true).text(), true);
            assertThat(applier.existingChains()).anyMatch(c -> c.contains("ns1/svc1")).anyMatch(c -> c.contains("ns4/svc4"));

            // A new process: lists, adopts, fully syncs (flushing the leftovers), then deletes them.
            ServiceTracker t = withoutSvc1AndSvc4();
            NftablesRenderer fresh = new NftablesRenderer(ProxyFixture.config());
            fresh.adoptExistingChains(applier.existingChains());
            NftablesRuleset full = fresh.render(t, Set.of(), false);
            assertThat(full.full()).isTrue();
            applier.apply(full.text(), true);
            applier.apply(fresh.render(t, Set.of(), false).text(), false);

            Set<String> left = applier.existingChains();
            assertThat(left).noneMatch(c -> c.contains("ns1/svc1") || c.contains("ns4/svc4"));
            assertThat(left).containsExactlyInAnyOrderElementsOf(
                    ExistingChains.fromNftList(String.join("\n", new NftablesTracer(List.of(ProxyFixture.NODE_IP))
                            .apply(new NftablesRenderer(ProxyFixture.config()).render(t, Set.of(), true).text())
                            .chainNames().stream().map(c -> "table ip kube-proxy {\nchain " + c + " {").toList())));
        }
    }

    @Test
    void iptablesChainsOfAnEarlierProcessAreDeleted() throws Exception {
        assumeTools("iptables-legacy-restore", "iptables-legacy-save", "ip");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-leftover-ipt")) {
            IptablesNetnsTest.applyJumpRules(ns);
            RulesApplier applier = RulesApplier.iptablesInNamespace(ns);
            IptablesRuleset first = new IptablesRenderer(ProxyFixture.config()).render(ProxyFixture.sample(), Set.of(), true);
            applier.apply(first.text(), true);
            Set<String> before = applier.existingChains();
            ServiceTracker t = withoutSvc1AndSvc4();
            Set<String> expected = new IptablesRenderer(ProxyFixture.config()).render(t, Set.of(), true).text().lines()
                    .filter(l -> l.startsWith(":") && ExistingChains.isIptablesServiceChain(l.substring(1, l.indexOf(' '))))
                    .map(l -> l.substring(1, l.indexOf(' '))).collect(java.util.stream.Collectors.toSet());
            Set<String> leftovers = new java.util.TreeSet<>(before);
            leftovers.removeAll(expected);
            assertThat(leftovers).hasSizeGreaterThanOrEqualTo(4); // svc1 and svc4: service + endpoint chains

            IptablesRenderer fresh = new IptablesRenderer(ProxyFixture.config());
            fresh.adoptExistingChains(before);
            IptablesRuleset full = fresh.render(t, Set.of(), false);
            assertThat(full.deletedChains()).containsExactlyElementsOf(leftovers);
            applier.apply(full.text(), true);

            assertThat(applier.existingChains()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
