package io.kplane.proxy.runtime;

import static io.kplane.proxy.runtime.ProxyRuntimeTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.RealApiServer;
import io.kplane.model.EndpointSlice;
import io.kplane.model.Json;
import io.kplane.model.Namespace;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Service;
import io.kplane.proxy.IpFamily;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.iptables.IptablesNetnsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dual-stack end to end: a dual-stack API server allocates a RequireDualStack Service an IPv4 and
 * an IPv6 cluster IP; the proxy runtime, with an IPv4 and an IPv6 proxier fed by the same
 * informers, writes each family's rules (dry-run) to its own file, each with only its family's
 * EndpointSlice; and the real ip6tables-legacy-restore / iptables-legacy-restore {@code --test}
 * and {@code nft -c} accept those files inside a network namespace this test creates.
 */
class DualStackProxyRuntimeTest {
    private static final String SERVICE_RANGES = "10.96.0.0/12,fd00:10:96::/108";
    private static final String ENDPOINT4 = "10.244.1.7";
    private static final String ENDPOINT6 = "fd00:10:244:1::7";

    @TempDir Path dir;

    private static EndpointSlice slice(String name, String family, String ip) {
        return Json.read("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: " + name + "\n  namespace: ns\n"
                + "  labels: {kubernetes.io/service-name: web}\naddressType: " + family + "\nendpoints:\n- addresses: [\"" + ip
                + "\"]\n  nodeName: n2\nports:\n- {name: http, port: 8080, protocol: TCP}\n", EndpointSlice.class);
    }

    /** Creates the dual-stack Service (the server picks both IPs) and one slice per family; returns the Service as stored. */
    private static Service createObjects(KubeClient client) {
        client.create(ApiResource.NAMESPACES, Namespace.of(ObjectMeta.of(null, "ns"), null, null));
        client.create(ApiResource.SERVICES, Json.read("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: ns}
                spec:
                  ipFamilyPolicy: RequireDualStack
                  selector: {app: web}
                  ports: [{name: http, port: 80, protocol: TCP}]
                """, Service.class));
        client.create(ApiResource.ENDPOINT_SLICES, slice("web-v4", "IPv4", ENDPOINT4));
        client.create(ApiResource.ENDPOINT_SLICES, slice("web-v6", "IPv6", ENDPOINT6));
        return client.get(ApiResource.SERVICES, "ns", "web");
    }

    private static List<ProxyConfig> bothFamilies() {
        ProxyConfig base = ProxyConfig.defaults("n1");
        return List.of(base.forFamily(IpFamily.IPv4, "192.168.0.10", "10.244.0.0/16"),
                base.forFamily(IpFamily.IPv6, "fd00:168::10", "fd00:10:244::/56"));
    }

    private static String readWhenItHas(Path file, String text) throws InterruptedException {
        // The file follows each sync: an earlier one (before the endpoints were seen) may be there first.
        eventually(file.getFileName() + " with " + text, () -> {
            try {
                return Files.exists(file) && Files.readString(file).contains(text);
            } catch (IOException e) {
                return false; // being replaced: read it again
            }
        });
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void iptablesModeWritesOneRuleSetPerFamilyThatTheRealToolsAccept() throws Exception {
        Path rulesFile = dir.resolve("rules.txt");
        String v4;
        String v6;
        String clusterIP4;
        String clusterIP6;
        try (RealApiServer api = new RealApiServer(dir.resolve("api"), SERVICE_RANGES)) {
            KubeClient client = api.client();
            Service svc = createObjects(client);
            assertThat(svc.spec().ipFamilies()).containsExactly("IPv4", "IPv6");
            clusterIP4 = svc.spec().clusterIPs().get(0);
            clusterIP6 = svc.spec().clusterIPs().get(1);
            try (ProxyRuntime proxy = new ProxyRuntime(client, bothFamilies(), ProxySyncLoop.Backend.IPTABLES, null, rulesFile,
                    Duration.ofMillis(50), Duration.ofSeconds(30)).start()) {
                assertThat(proxy.families()).containsExactly(IpFamily.IPv4, IpFamily.IPv6);
                v4 = readWhenItHas(rulesFile, "--to-destination " + ENDPOINT4 + ":8080");
                v6 = readWhenItHas(dir.resolve("rules.ipv6.txt"), "--to-destination [" + ENDPOINT6 + "]:8080");
                assertThat(proxy.loop(IpFamily.IPv4).lastError()).isNull();
                assertThat(proxy.loop(IpFamily.IPv6).lastError()).isNull();
            }
        }
        assertThat(v4).startsWith("# kplane-proxy node=n1 synced=").contains("-d " + clusterIP4 + " --dport 80")
                .doesNotContain(ENDPOINT6, clusterIP6);
        assertThat(v6).startsWith("# kplane-proxy node=n1 synced=").contains("-d " + clusterIP6 + " --dport 80", "! -s fd00:10:244::/56")
                .doesNotContain(ENDPOINT4, clusterIP4);

        assumeRootAnd("iptables-legacy-restore", "ip6tables-legacy-restore", "ip6tables-legacy", "ip");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-ds-ipt")) {
            IptablesNetnsTest.applyJumpRules(ns, IpFamily.IPv4);
            IptablesNetnsTest.applyJumpRules(ns, IpFamily.IPv6);
            ns.exec(List.of("iptables-legacy-restore", "--test", "--noflush"), v4).orThrow("iptables-legacy-restore --test");
            ns.exec(List.of("ip6tables-legacy-restore", "--test", "--noflush"), v6).orThrow("ip6tables-legacy-restore --test");
            // The check has teeth: the IPv4 rules are no ip6tables input.
            assertThat(ns.exec(List.of("ip6tables-legacy-restore", "--test", "--noflush"), v4).ok()).isFalse();
        }
    }

    @Test
    void nftablesModeWritesAnIpAndAnIp6TableThatNftAccepts() throws Exception {
        Path rulesFile = dir.resolve("rules.nft");
        String v4;
        String v6;
        String clusterIP6;
        try (RealApiServer api = new RealApiServer(dir.resolve("api"), SERVICE_RANGES)) {
            KubeClient client = api.client();
            Service svc = createObjects(client);
            clusterIP6 = svc.spec().clusterIPs().get(1);
            try (ProxyRuntime proxy = new ProxyRuntime(client, bothFamilies(), ProxySyncLoop.Backend.NFTABLES, null, rulesFile,
                    Duration.ofMillis(50), Duration.ofSeconds(30)).start()) {
                v4 = readWhenItHas(rulesFile, "dnat to " + ENDPOINT4 + ":8080");
                v6 = readWhenItHas(dir.resolve("rules.ipv6.nft"), "dnat to [" + ENDPOINT6 + "]:8080");
                assertThat(proxy.rules(IpFamily.IPv6)).contains("dnat to [" + ENDPOINT6 + "]:8080");
            }
        }
        assertThat(v4).contains("add table ip kube-proxy").doesNotContain("ip6 kube-proxy", ENDPOINT6);
        assertThat(v6).contains("add table ip6 kube-proxy", "add element ip6 kube-proxy cluster-ips { " + clusterIP6 + " }")
                .doesNotContain("add table ip kube-proxy", ENDPOINT4);

        assumeRootAnd("nft", "ip");
        try (NetworkNamespace ns = NetworkNamespace.create("kplane-ds-nft")) {
            ns.exec(List.of("nft", "-c", "-f", "-"), v6).orThrow("nft -c (ip6)");
            ns.exec(List.of("nft", "-c", "-f", "-"), v4).orThrow("nft -c (ip)");
        }
    }

    @Test
    void appliesEachFamilysRulesWithItsOwnToolInANetworkNamespace() throws Exception {
        assumeRootAnd("iptables-legacy-restore", "ip6tables-legacy-restore", "ip6tables-legacy-save", "ip");
        try (RealApiServer api = new RealApiServer(dir.resolve("api"), SERVICE_RANGES);
             NetworkNamespace ns = NetworkNamespace.create("kplane-ds-apply")) {
            KubeClient client = api.client();
            Service svc = createObjects(client);
            String clusterIP6 = svc.spec().clusterIPs().get(1);
            try (ProxyRuntime proxy = new ProxyRuntime(client, bothFamilies(), ProxySyncLoop.Backend.IPTABLES,
                    family -> io.kplane.proxy.RulesApplier.iptablesInNamespace(ns, family), null,
                    Duration.ofMillis(50), Duration.ofSeconds(30)).start()) {
                eventually("the IPv6 DNAT in the namespace's ip6tables nat table", () -> saved(ns, "ip6tables-legacy-save")
                        .contains("--to-destination [" + ENDPOINT6 + "]:8080"));
                eventually("the IPv4 DNAT in the namespace's iptables nat table", () -> saved(ns, "iptables-legacy-save")
                        .contains("--to-destination " + ENDPOINT4 + ":8080"));
                assertThat(saved(ns, "ip6tables-legacy-save")).contains("-d " + clusterIP6 + "/128").doesNotContain(ENDPOINT4);
                assertThat(saved(ns, "iptables-legacy-save")).doesNotContain(ENDPOINT6);
                assertThat(proxy.loop(IpFamily.IPv6).lastError()).isNull();
            }
        }
    }

    private static String saved(NetworkNamespace ns, String tool) {
        try {
            return ns.exec(List.of(tool, "-t", "nat"), (byte[]) null).stdout();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void rulesFileOfASecondaryFamilySitsBesideThePrimarysFile() {
        assertThat(ProxyRuntime.rulesFileFor(Path.of("/x/proxy-rules.txt"), IpFamily.IPv6)).isEqualTo(Path.of("/x/proxy-rules.ipv6.txt"));
        assertThat(ProxyRuntime.rulesFileFor(Path.of("/x/rules"), IpFamily.IPv4)).isEqualTo(Path.of("/x/rules.ipv4"));
    }

    private static void assumeRootAnd(String... tools) {
        for (String tool : tools) {
            assumeTrue(NetworkNamespace.available(tool), tool + " not installed: skipping real-tool validation (.ci/run installs it)");
        }
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "not root: cannot create network namespaces; skipping real-tool validation");
    }
}
