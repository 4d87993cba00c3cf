package io.kplane.kubelet;

import java.util.BitSet;

/**
 * Pod IPs from a node's /24: .2 to .254 (.1 is the gateway a real CNI would take). On a dual-stack
 * node each pod also gets the IPv6 address with the same host number in the node's /64
 * ({@link #ipv6For}), so one allocation serves both families.
 */
final class PodIpPool {
    private final String prefix;
    private final String ipv6Prefix;
    private final BitSet used = new BitSet(256);

    PodIpPool(String cidr24) {
        this(cidr24, null);
    }

    /** {@code cidr64} is null on a single-stack node, else a /64 written as {@code <groups>::/64}. */
    PodIpPool(String cidr24, String cidr64) {
        this.prefix = cidr24.substring(0, cidr24.length() - "0/24".length());
        this.ipv6Prefix = cidr64 == null ? null : cidr64.substring(0, cidr64.length() - "/64".length());
    }

    /**
     * The IPv6 address paired with an IPv4 one of this pool (the host number written as the last
     * group), or null on a single-stack node.
     */
    String ipv6For(String ipv4) {
        if (ipv6Prefix == null || ipv4 == null || !ipv4.startsWith(prefix)) {
            return null;
        }
        return ipv6Prefix + ipv4.substring(prefix.length());
    }

    /** A free address, or null when all 253 are taken. */
    String allocate() {
        int host = used.nextClearBit(2);
        if (host > 254) {
            return null;
        }
        used.set(host);
        return prefix + host;
    }

    /** Marks an address a pod already has as taken (a restarted kubelet finds its pods running); false if not ours. */
    boolean claim(String ip) {
        if (ip == null || !ip.startsWith(prefix)) {
            return false;
        }
        int host;
        try {
            host = Integer.parseInt(ip.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return false;
        }
        if (host < 2 || host > 254) {
            return false;
        }
        used.set(host);
        return true;
    }

    void release(String ip) {
        if (ip != null && ip.startsWith(prefix)) {
            used.clear(Integer.parseInt(ip.substring(prefix.length())));
        }
    }
}
