package io.kplane.proxy;

/**
 * The first packet of a connection, for the tracers.
 *
 * @param src      source address (IPv4 or IPv6)
 * @param dst      destination address (IPv4 or IPv6)
 * @param protocol tcp, udp or sctp
 * @param dport    destination port
 * @param fromHost originated on this node (OUTPUT path) rather than arriving (PREROUTING)
 */
public record Packet(String src, String dst, String protocol, int dport, boolean fromHost) {

    public static Packet tcp(String src, String dst, int dport) {
        return new Packet(src, dst, "tcp", dport, false);
    }

    public Packet fromThisHost() {
        return new Packet(src, dst, protocol, dport, true);
    }
}
