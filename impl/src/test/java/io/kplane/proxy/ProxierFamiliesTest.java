package io.kplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.model.Json;
import io.kplane.model.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's dual-stack start-up decision: primary family from the node IP, the other when supported, configs per family. */
class ProxierFamiliesTest {
    private static final ProxyConfig BASE = ProxyConfig.defaults("n1").withNodeZone("z1");

    private static Node node(String... addresses) {
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {topology.kubernetes.io/zone: zn}}\n"
                + "status:\n  addresses:\n");
        for (String a : addresses) {
            y.append("  - {type: InternalIP, address: \"").append(a).append("\"}\n");
        }
        return Json.read(y.toString(), Node.class);
    }

    @Test
    void autoRunsBothFamiliesWhenSupportedWithThePrimaryFromTheNodeIp() {
        List<IpFamily> asked = new ArrayList<>();
        List<ProxyConfig> c = ProxierFamilies.resolve("auto", BASE, List.of(), List.of("fd00:10:244::/56", "10.244.0.0/16"),
                node("fd00:168::10", "192.168.0.10"), f -> asked.add(f));
        assertThat(asked).as("only the secondary family is probed").containsExactly(IpFamily.IPv4);
        assertThat(c).extracting(ProxyConfig::family).containsExactly(IpFamily.IPv6, IpFamily.IPv4);
        assertThat(c).extracting(ProxyConfig::nodeIP).containsExactly("fd00:168::10", "192.168.0.10");
        assertThat(c).extracting(ProxyConfig::clusterCIDR).containsExactly("fd00:10:244::/56", "10.244.0.0/16");
        assertThat(c).extracting(ProxyConfig::nodeZone).as("a flag's zone wins over the Node's").containsOnly("z1");

        // Flags win over the Node; the first flag IP decides the primary family.
        c = ProxierFamilies.resolve("auto", BASE, List.of("192.168.9.9"), List.of(), node("fd00:168::10", "192.168.0.10"), f -> true);
        assertThat(c).extracting(ProxyConfig::family).containsExactly(IpFamily.IPv4, IpFamily.IPv6);
        assertThat(c).extracting(ProxyConfig::nodeIP).containsExactly("192.168.9.9", "fd00:168::10");

        // The host cannot program the other family: single-stack, as kube-proxy falls back.
        c = ProxierFamilies.resolve("auto", BASE, List.of(), List.of(), node("192.168.0.10"), f -> false);
        assertThat(c).extracting(ProxyConfig::family).containsExactly(IpFamily.IPv4);

        // Nothing known about the node: IPv4 primary.
        c = ProxierFamilies.resolve("auto", BASE, List.of(), List.of(), null, f -> true);
        assertThat(c).extracting(ProxyConfig::family).containsExactly(IpFamily.IPv4, IpFamily.IPv6);
        assertThat(c.get(1).nodeIP()).isNull();
    }

    @Test
    void ipFamiliesPinsTheFamiliesAndBadFlagsAreRefused() {
        List<ProxyConfig> c = ProxierFamilies.resolve("ipv6", BASE, List.of("192.168.0.10", "fd00::1"), List.of(), null, f -> {
            throw new AssertionError("not asked when pinned");
        });
        assertThat(c).extracting(ProxyConfig::family).containsExactly(IpFamily.IPv6);
        assertThat(c.get(0).nodeIP()).isEqualTo("fd00::1");
        assertThat(ProxierFamilies.resolve("IPv6,IPv4", BASE, List.of(), List.of(), null, f -> false))
                .extracting(ProxyConfig::family).containsExactly(IpFamily.IPv6, IpFamily.IPv4);

        assertThatThrownBy(() -> ProxierFamilies.resolve("IPv5", BASE, List.of(), List.of(), null, f -> true))
                .hasMessageContaining("--ip-families takes auto, or IPv4 and/or IPv6");
        assertThatThrownBy(() -> ProxierFamilies.resolve("IPv4,ipv4", BASE, List.of(), List.of(), null, f -> true))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ProxierFamilies.resolve("auto", BASE, List.of("10.0.0.1", "10.0.0.2"), List.of(), null, f -> true))
                .hasMessageContaining("--node-ip takes at most one value per IP family");
        assertThatThrownBy(() -> ProxierFamilies.resolve("auto", BASE, List.of(), List.of("fd00::/64", "fd01::/64"), null, f -> true))
                .hasMessageContaining("--cluster-cidr takes at most one value per IP family");
    }
}
