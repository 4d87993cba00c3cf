package io.kplane.proxy;

/**
 * Node-level settings of the proxy, with kube-proxy's defaults.
 *
 * @param nodeName           this node's name (endpoints with this nodeName are local)
 * @param nodeIP             this node's IP (for LoadBalancerSourceRanges), may be null
 * @param clusterCIDR        pod CIDR for the local-traffic detector, or null for none
 * @param masqueradeAll      SNAT all traffic to cluster IPs
 * @param masqueradeBit      the fwmark bit used to mark packets for SNAT (default 14)
 * @param localhostNodePorts allow NodePorts on 127.0.0.0/8 (kube-proxy's default: true)
 * @param ipvsScheduler      IPVS scheduler (rr, lc, dh, sh, sed, nq, ...)
 * @param largeClusterThreshold endpoints above which per-endpoint comments are dropped (1000)
 * @param nodePortsOnAllAddresses accept NodePort traffic on every local address (kube-proxy's
 *     {@code --nodeport-addresses=0.0.0.0/0}); false is the nftables default "primary": only
 *     the node's primary IP ({@code nodeIP}), or every local address while it is unknown
 * @param nodeZone           this node's {@code topology.kubernetes.io/zone} label (topology hints), or null
 * @param family             the IP family this proxier programs (kube-proxy runs one per family);
 *     {@code nodeIP} and {@code clusterCIDR} are of this family
 */
public record ProxyConfig(String nodeName, String nodeIP, String clusterCIDR, boolean masqueradeAll,
                          int masqueradeBit, boolean localhostNodePorts, String ipvsScheduler,
                          int largeClusterThreshold, boolean nodePortsOnAllAddresses,
                          String nodeZone, IpFamily family) {

    public ProxyConfig {
        family = family == null ? IpFamily.IPv4 : family;
        if (nodeIP != null && !family.matches(nodeIP)) {
            throw new IllegalArgumentException("node IP " + nodeIP + " is not an " + family.apiName() + " address (the " + family.apiName() + " proxier)");
        }
        if (clusterCIDR != null && !family.matches(clusterCIDR)) {
            throw new IllegalArgumentException("cluster CIDR " + clusterCIDR + " is not an " + family.apiName() + " prefix (the " + family.apiName() + " proxier)");
        }
    }

    public ProxyConfig(String nodeName, String nodeIP, String clusterCIDR, boolean masqueradeAll, int masqueradeBit,
            boolean localhostNodePorts, String ipvsScheduler, int largeClusterThreshold, boolean nodePortsOnAllAddresses,
            String nodeZone) {
        this(nodeName, nodeIP, clusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts, ipvsScheduler,
                largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, IpFamily.IPv4);
    }

    /**
     * The same node's proxier for {@code f}, with that family's node IP and cluster CIDR (either may be
     * null): a dual-stack node runs one of each.
     */
    public ProxyConfig forFamily(IpFamily f, String familyNodeIP, String familyClusterCIDR) {
        return new ProxyConfig(nodeName, familyNodeIP, familyClusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts,
                ipvsScheduler, largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, f);
    }

    public static ProxyConfig defaults(String nodeName) {
        return new ProxyConfig(nodeName, null, null, false, 14, true, "rr", 1000, false, null);
    }

    public ProxyConfig(String nodeName, String nodeIP, String clusterCIDR, boolean masqueradeAll, int masqueradeBit,
            boolean localhostNodePorts, String ipvsScheduler, int largeClusterThreshold) {
        this(nodeName, nodeIP, clusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts, ipvsScheduler,
                largeClusterThreshold, false, null);
    }

    public ProxyConfig withNodePortsOnAllAddresses(boolean all) {
        return new ProxyConfig(nodeName, nodeIP, clusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts,
                ipvsScheduler, largeClusterThreshold, all, nodeZone, family);
    }

    public ProxyConfig withNodeZone(String zone) {
        return new ProxyConfig(nodeName, nodeIP, clusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts,
                ipvsScheduler, largeClusterThreshold, nodePortsOnAllAddresses, zone, family);
    }

    /**
     * The addresses that accept NodePort traffic in nftables mode (the {@code nodeport-ips} set),
     * or an empty list for every local address but localhost.
     */
    public java.util.List<String> nodePortIPs() {
        return nodePortsOnAllAddresses || nodeIP == null ? java.util.List.of() : java.util.List.of(nodeIP);
    }

    public ProxyConfig withClusterCIDR(String cidr) {
        return new ProxyConfig(nodeName, nodeIP, cidr, masqueradeAll, masqueradeBit, localhostNodePorts,
                ipvsScheduler, largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, family);
    }

    public ProxyConfig withNodeIP(String ip) {
        return new ProxyConfig(nodeName, ip, clusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts,
                ipvsScheduler, largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, family);
    }

    public ProxyConfig withMasqueradeAll(boolean all) {
        return new ProxyConfig(nodeName, nodeIP, clusterCIDR, all, masqueradeBit, localhostNodePorts,
                ipvsScheduler, largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, family);
    }

    public ProxyConfig withIpvsScheduler(String scheduler) {
        return new ProxyConfig(nodeName, nodeIP, clusterCIDR, masqueradeAll, masqueradeBit, localhostNodePorts,
                scheduler, largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, family);
    }

    public ProxyConfig withLocalhostNodePorts(boolean on) {
        return new ProxyConfig(nodeName, nodeIP, clusterCIDR, masqueradeAll, masqueradeBit, on,
                ipvsScheduler, largeClusterThreshold, nodePortsOnAllAddresses, nodeZone, family);
    }

    /**
     * The mark as kube-proxy prints it: Go's {@code %#08x} pads the digits (not the prefix) to 8,
     * so bit 14 is {@code 0x00004000}.
     */
    public String masqueradeMark() {
        String hex = Integer.toHexString(1 << masqueradeBit);
        return "0x" + "00000000".substring(Math.min(8, hex.length())) + hex;
    }
}
