package io.kplane.kubelet;

import java.util.BitSet;

/** Pod IPs from a node's /24: .2 to .254 (.1 is the gateway a real CNI would take). */
final class PodIpPool {
    private final String prefix;
    private final BitSet used = new BitSet(256);

    PodIpPool(String cidr24) {
        this.prefix = cidr24.substring(0, cidr24.length() - "0/24".length());
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
