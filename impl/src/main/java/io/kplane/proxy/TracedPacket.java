package io.kplane.proxy;

/**
 * A packet as the rule tracers follow it: the addresses and port NAT may rewrite, the mark, and
 * whether it was DNATed or marked for masquerade. Mutable and copied at every probabilistic branch,
 * so each path through the rules owns its own copy. Shared by the iptables and nftables tracers.
 */
public final class TracedPacket {
    public final String src;
    public final IpAddress srcAddr;
    public IpAddress dst;
    public int dport;
    public final String proto;
    public int mark;
    public boolean dnat;
    public boolean masq;

    public TracedPacket(Packet p) {
        src = p.src();
        srcAddr = IpAddress.parse(p.src());
        dst = IpAddress.parse(p.dst());
        dport = p.dport();
        proto = p.protocol();
    }

    /** DNAT to {@code ip:port} or {@code [ip]:port}. */
    public void dnatTo(String hostPort) {
        dst = IpAddress.parse(IpAddress.hostOf(hostPort));
        dport = IpAddress.portOf(hostPort);
        dnat = true;
    }

    /** The destination as {@code ip:port} ({@code [ip]:port} for IPv6). */
    public String destination() {
        return IpFamily.hostPort(dst.toString(), dport);
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
