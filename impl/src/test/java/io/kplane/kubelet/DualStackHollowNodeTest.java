package io.kplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Container;
import io.kplane.model.Node;
import io.kplane.model.NodeAddress;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodIP;
import io.kplane.model.PodSpec;
import io.kplane.model.PodStatus;
import io.kplane.proxy.IpAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hollow node of a dual-stack cluster reports an address of each family, IPv4 first, for itself
 * and its pods — what the EndpointSlice controller needs to write a dual-stack Service's IPv6 slices.
 */
class DualStackHollowNodeTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The proxy's RFC 5952 formatter is the oracle: addresses written by hand must already be canonical. */
    static void assertCanonical(String ip) {
        assertThat(IpAddress.parse(ip).toString()).as("canonical text of " + ip).isEqualTo(ip);
    }

    @Test
    void ipv6RangesMirrorTheIpv4OnesInCanonicalText() {
        KubeletConfig n0 = KubeletConfig.hollowDualStack("n-", 0, "z");
        assertThat(n0.podCidrV6()).isEqualTo("fd00:10:244::/64");
        assertThat(n0.internalIpV6()).isEqualTo("fd00::10:0:0:2");
        KubeletConfig n259 = KubeletConfig.hollowDualStack("n-", 259, "z");
        assertThat(n259.podCidr()).isEqualTo("10.245.3.0/24");
        assertThat(n259.podCidrV6()).isEqualTo("fd00:10:245:3::/64");
        assertThat(n259.internalIp()).isEqualTo("10.0.1.11");
        assertThat(n259.internalIpV6()).isEqualTo("fd00::10:0:1:11");
        for (KubeletConfig c : List.of(n0, n259)) {
            assertCanonical(c.internalIpV6());
            assertCanonical(c.podCidrV6().substring(0, c.podCidrV6().indexOf('/')));
            PodIpPool pool = new PodIpPool(c.podCidr(), c.podCidrV6());
            String v4 = pool.allocate();
            assertCanonical(pool.ipv6For(v4));
        }
        assertThat(KubeletConfig.hollow("n-", 0, "z").dualStack()).isFalse();
    }

    @Test
    void eachPodIpv4AddressHasItsIpv6Pair() {
        PodIpPool pool = new PodIpPool("10.244.3.0/24", "fd00:10:244:3::/64");
        String v4 = pool.allocate();
        assertThat(v4).isEqualTo("10.244.3.2");
        assertThat(pool.ipv6For(v4)).isEqualTo("fd00:10:244:3::2");
        assertThat(pool.ipv6For("10.244.4.2")).as("not this node's range").isNull();
        assertThat(new PodIpPool("10.244.3.0/24").ipv6For(v4)).as("single-stack node").isNull();
    }

    @Test
    void theNodeRegistersBothPodCidrsAndBothInternalIps() {
        Node node = NodeObject.registration(KubeletConfig.hollowDualStack("n-", 3, "z"), T0);
        assertThat(node.spec().podCIDRs()).containsExactly("10.244.3.0/24", "fd00:10:244:3::/64");
        assertThat(node.status().addresses()).extracting(NodeAddress::type, NodeAddress::address).containsExactly(
                org.assertj.core.groups.Tuple.tuple("InternalIP", "10.0.0.5"),
                org.assertj.core.groups.Tuple.tuple("InternalIP", "fd00::10:0:0:5"),
                org.assertj.core.groups.Tuple.tuple("Hostname", "n-3"));
        Node single = NodeObject.registration(KubeletConfig.hollow("n-", 3, "z"), T0);
        assertThat(single.spec().podCIDRs()).containsExactly("10.244.3.0/24");
        assertThat(single.status().addresses()).extracting(NodeAddress::type).containsExactly("InternalIP", "Hostname");
    }

    @Test
    void aPodOnADualStackNodeReportsBothAddressesIpv4First() {
        Pod pod = Pod.of(ObjectMeta.of("ns", "p").withUid("u"),
                PodSpec.of(List.of(Container.of("c", "img"))).withNodeName("n-3"), null);
        PodStatus st = new HollowPod(pod, "10.244.3.2", "fd00:10:244:3::2", "10.0.0.5", "fd00::10:0:0:5", 0, T0)
                .status(null, T0);
        assertThat(st.podIP()).isEqualTo("10.244.3.2");
        assertThat(st.podIPs()).extracting(PodIP::ip).containsExactly("10.244.3.2", "fd00:10:244:3::2");
        assertThat(st.hostIPs()).extracting(PodIP::ip).containsExactly("10.0.0.5", "fd00::10:0:0:5");
        PodStatus single = new HollowPod(pod, "10.244.3.2", "10.0.0.5", 0, T0).status(null, T0);
        assertThat(single.podIPs()).extracting(PodIP::ip).containsExactly("10.244.3.2");
    }
}
