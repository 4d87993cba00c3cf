package io.kplane.proxy;

/**
 * A packet as the rule tracers follow it: the addresses and port NAT may rewrite, the mark, and
 * whether it was DNATed or marked for masquerade. Mutable and copied at every probabilistic branch,
 * so each path through the rules owns its own copy. Shared by the iptables and nftables tracers.
 */
final class TracedPacket {
    final String src;
    final int srcAddr;
    int dst;
    int dport;
    final String proto;
    int mark;
    boolean dnat;
    boolean masq;

    TracedPacket(Packet p) {
        src = p.src();
        srcAddr = Cidr.parseIPv4(p.src());
        dst = Cidr.parseIPv4(p.dst());
        dport = p.dport();
        proto = p.protocol();
    }

    /** A copy for one branch of a probabilistic or multi-way rule. */
    TracedPacket(TracedPacket o) {
        src = o.src;
        srcAddr = o.srcAddr;
        dst = o.dst;
        dport = o.dport;
        proto = o.proto;
        mark = o.mark;
        dnat = o.dnat;
        masq = o.masq;
    }
}
