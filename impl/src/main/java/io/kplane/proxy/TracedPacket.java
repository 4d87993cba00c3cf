package io.kplane.proxy;

/**
 * A packet as the rule tracers follow it: the addresses and port NAT may rewrite, the mark, and
 * whether it was DNATed or marked for masquerade. Mutable and copied at every probabilistic branch,
 * so each path through the rules owns its own copy. Shared by the iptables and nftables tracers.
 */
public final class TracedPacket {
    public final String src;
    public final int srcAddr;
    public int dst;
    public int dport;
    public final String proto;
    public int mark;
    public boolean dnat;
    public boolean masq;

    public TracedPacket(Packet p) {
        src = p.src();
        srcAddr = Cidr.parseIPv4(p.src());
        dst = Cidr.parseIPv4(p.dst());
        dport = p.dport();
        proto = p.protocol();
    }

    /** A copy for one branch of a probabilistic or multi-way rule. */
    public TracedPacket(TracedPacket o) {
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
