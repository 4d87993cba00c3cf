package io.kplane.kubelet;

import java.time.Duration;
import java.util.Map;

/**
 * What a hollow kubelet registers and how often it reports. Defaults are the kubelet's: a node
 * Lease of 40 s renewed every 10 s (a quarter of its duration), node status computed every 10 s and
 * written when it changed or at least every 5 minutes.
 *
 * @param nodeName      the Node's name (also its hostname label and its Lease's name)
 * @param zone          the {@code topology.kubernetes.io/zone} label
 * @param cpu           capacity and allocatable CPU, as a quantity ({@code "4"})
 * @param memory        capacity and allocatable memory ({@code "32Gi"})
 * @param maxPods       the {@code pods} capacity
 * @param podCidr       a /24 from which pod IPs are handed out ({@code "10.244.3.0/24"})
 * @param internalIp    the node's InternalIP address, also each pod's hostIP
 * @param podCidrV6     null on a single-stack node; on a dual-stack one a /64 ending in {@code ::/64}
 *                      whose pod IPs pair with the IPv4 ones ({@code fd00:10:244:3::7} beside
 *                      {@code 10.244.3.7})
 * @param internalIpV6  the node's IPv6 InternalIP when {@code podCidrV6} is set, else null
 * @param extraLabels   more labels for the Node
 */
public record KubeletConfig(String nodeName, String zone, String cpu, String memory, int maxPods, String podCidr,
                            String internalIp, String podCidrV6, String internalIpV6, Duration leaseDuration,
                            Duration statusUpdatePeriod, Duration statusReportPeriod, Map<String, String> extraLabels) {

    public KubeletConfig {
        if (!podCidr.endsWith(".0/24")) {
            throw new IllegalArgumentException("pod CIDR must be a /24 ending in .0/24: " + podCidr);
        }
        if ((podCidrV6 == null) != (internalIpV6 == null)) {
            throw new IllegalArgumentException("a dual-stack node needs both an IPv6 pod CIDR and an IPv6 node IP");
        }
        if (podCidrV6 != null && !podCidrV6.endsWith("::/64")) {
            throw new IllegalArgumentException("IPv6 pod CIDR must be a /64 ending in ::/64: " + podCidrV6);
        }
        extraLabels = Map.copyOf(extraLabels);
    }

    /** The most hollow nodes one cluster numbers: pod CIDRs 10.244.0.0/24 … 10.255.255.0/24. */
    public static final int MAX_HOLLOW_NODES = 12 * 256;

    /**
     * Node number {@code index} of a hollow cluster: {@code <prefix><index>}, pod CIDR the
     * index-th /24 from 10.244.0.0 (10.244.index.0/24 for the first 256, as flannel's default
     * 10.244.0.0/16 would give them; then on into 10.245–10.255, so thousands of nodes fit).
     */
    public static KubeletConfig hollow(String prefix, int index, String zone) {
        if (index < 0 || index >= MAX_HOLLOW_NODES) {
            throw new IllegalArgumentException("hollow node index must be 0.." + (MAX_HOLLOW_NODES - 1) + ": " + index);
        }
        return new KubeletConfig(prefix + index, zone, "4", "32Gi", 110,
                "10." + (244 + index / 256) + "." + (index % 256) + ".0/24",
                "10.0." + (index / 250) + "." + (index % 250 + 2), null, null,
                Duration.ofSeconds(40), Duration.ofSeconds(10), Duration.ofMinutes(5), Map.of());
    }

    /**
     * As {@link #hollow}, on a dual-stack cluster: the node also has an IPv6 pod CIDR and node IP
     * that mirror the IPv4 ones group for group (10.244.3.0/24 and fd00:10:244:3::/64, node
     * 10.0.0.5 and fd00::10:0:0:5; the decimal numbers are written as hex groups, so the pairs read
     * alike), so its pods report an address of each family, IPv4 first.
     */
    public static KubeletConfig hollowDualStack(String prefix, int index, String zone) {
        KubeletConfig v4 = hollow(prefix, index, zone);
        // RFC 5952 text: the longest run of zero groups is written "::" (fd00:10:244::/64 for node 0).
        String podGroups = "fd00:10:" + (244 + index / 256) + (index % 256 == 0 ? "" : ":" + (index % 256));
        String podCidrV6 = podGroups + "::/64";
        String nodeIpV6 = "fd00::10:0:" + (index / 250) + ":" + (index % 250 + 2);
        return new KubeletConfig(v4.nodeName, v4.zone, v4.cpu, v4.memory, v4.maxPods, v4.podCidr, v4.internalIp,
                podCidrV6, nodeIpV6, v4.leaseDuration, v4.statusUpdatePeriod, v4.statusReportPeriod, v4.extraLabels);
    }

    /** True when the node has addresses of both families. */
    public boolean dualStack() {
        return podCidrV6 != null;
    }

    /** Lease renewals happen every quarter of the lease duration, as the kubelet does. */
    public Duration leaseRenewInterval() {
        return leaseDuration.dividedBy(4);
    }

    public KubeletConfig withLeaseDuration(Duration d) {
        return new KubeletConfig(nodeName, zone, cpu, memory, maxPods, podCidr, internalIp, podCidrV6, internalIpV6, d,
                statusUpdatePeriod, statusReportPeriod, extraLabels);
    }

    public KubeletConfig withStatusUpdatePeriod(Duration d) {
        return new KubeletConfig(nodeName, zone, cpu, memory, maxPods, podCidr, internalIp, podCidrV6, internalIpV6,
                leaseDuration, d, statusReportPeriod, extraLabels);
    }
}
