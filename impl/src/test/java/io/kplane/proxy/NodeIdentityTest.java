package io.kplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Json;
import io.kplane.model.Node;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

    static final Node DUAL_STACK = Json.read("""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"topology.kubernetes.io/zone":"zone-a"}},
             "status":{"addresses":[{"type":"Hostname","address":"n1"},{"type":"ExternalIP","address":"203.0.113.7"},
               {"type":"InternalIP","address":"fd00::7"},{"type":"InternalIP","address":"10.0.0.7"},
               {"type":"ExternalIP","address":"2001:db8::7"}]}}
            """.getBytes(java.nio.charset.StandardCharsets.UTF_8), Node.class);

    @Test
    void eachFamilysProxierTakesItsInternalIpAndTheZoneLabel() {
        ProxyConfig v4 = NodeIdentity.apply(ProxyConfig.defaults("n1"), DUAL_STACK);
        assertThat(v4.nodeIP()).isEqualTo("10.0.0.7");   // InternalIP before ExternalIP
        assertThat(v4.nodeZone()).isEqualTo("zone-a");
        ProxyConfig v6 = NodeIdentity.apply(ProxyConfig.defaults("n1").forFamily(IpFamily.IPv6, null, null), DUAL_STACK);
        assertThat(v6.nodeIP()).isEqualTo("fd00::7");
        assertThat(v6.family()).isEqualTo(IpFamily.IPv6);
    }

    @Test
    void explicitValuesWinAndAMissingNodeChangesNothing() {
        ProxyConfig given = ProxyConfig.defaults("n1").withNodeIP("192.168.1.1").withNodeZone("zone-b");
        ProxyConfig c = NodeIdentity.apply(given, DUAL_STACK);
        assertThat(c.nodeIP()).isEqualTo("192.168.1.1");
        assertThat(c.nodeZone()).isEqualTo("zone-b");
        assertThat(NodeIdentity.apply(given, null)).isSameAs(given);
        Node bare = Json.read("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n2\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), Node.class);
        ProxyConfig none = NodeIdentity.apply(ProxyConfig.defaults("n2"), bare);
        assertThat(none.nodeIP()).isNull();
        assertThat(none.nodeZone()).isNull();
        // ExternalIP when the family has no InternalIP
        Node external = Json.read("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n3"},
                 "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.3"},{"type":"ExternalIP","address":"2001:db8::3"}]}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), Node.class);
        assertThat(NodeIdentity.nodeIP(external, IpFamily.IPv6)).isEqualTo("2001:db8::3");
    }
}
