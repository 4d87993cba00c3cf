package io.kplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Chain names against hashes computed independently (sha256 + RFC 4648 base32, first 16/8
 * characters), including the well-known names every kube-proxy cluster has.
 */
class ChainNamesTest {

    @Test
    void wellKnownClusterChainsMatchKubeProxy() {
        // Present in every kubeadm cluster's iptables-save output.
        assertThat(ChainNames.serviceChain("default/kubernetes:https", "tcp")).isEqualTo("KUBE-SVC-NPX46M4PTMTKRN6Y");
        assertThat(ChainNames.serviceChain("kube-system/kube-dns:dns", "udp")).isEqualTo("KUBE-SVC-TCOU7JCQXEZGVUNU");
        assertThat(ChainNames.serviceChain("kube-system/kube-dns:dns-tcp", "tcp")).isEqualTo("KUBE-SVC-ERIFXISQEP7F7OF4");
        assertThat(ChainNames.serviceChain("kube-system/kube-dns:metrics", "tcp")).isEqualTo("KUBE-SVC-JD5MR3NA4I4DYORP");
    }

    @Test
    void endpointAndPolicyChainsShareTheScheme() {
        assertThat(ChainNames.serviceChain("ns1/svc1:p80", "tcp")).isEqualTo("KUBE-SVC-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.serviceLocalChain("ns1/svc1:p80", "tcp")).isEqualTo("KUBE-SVL-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.externalChain("ns1/svc1:p80", "tcp")).isEqualTo("KUBE-EXT-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.firewallChain("ns1/svc1:p80", "tcp")).isEqualTo("KUBE-FW-XPGD46QRK7WJZT7O");
        assertThat(ChainNames.endpointChain("ns1/svc1:p80", "tcp", "10.180.0.1:80")).isEqualTo("KUBE-SEP-SXIVWICOYRO3J4NJ");
    }

    @Test
    void unnamedPortHasNoColon() {
        ServicePortName spn = new ServicePortName("default", "web", "", Protocol.TCP);
        assertThat(spn.toString()).isEqualTo("default/web");
        assertThat(new ServicePortInfo(ServicePortSpec.clusterIP(spn, "10.0.0.1", 80)).clusterChain())
                .isEqualTo(ChainNames.serviceChain("default/web", "tcp"));
    }

    @Test
    void nftablesNamesUseEightCharacterHashPrefix() {
        ServicePortName spn = new ServicePortName("ns1", "svc1", "p80", Protocol.TCP);
        assertThat(ChainNames.nftServiceBase(spn)).isEqualTo("ULMVA6XW-ns1/svc1/tcp/p80");
        assertThat(ChainNames.nftEndpointBase(spn, "10.180.0.1", 80)).isEqualTo("5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80");
    }

    @Test
    void overlongNftNamesAreTruncatedWithEllipsis() {
        String longName = "x".repeat(300);
        String base = ChainNames.nftHashAndTruncate(longName);
        assertThat(base).hasSize(240).endsWith("...");
    }

    @Test
    void masqueradeMarkIsPrintedAsGoDoes() {
        assertThat(ProxyConfig.defaults("n").masqueradeMark()).isEqualTo("0x00004000");
    }
}
