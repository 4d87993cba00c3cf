package io.kplane.scheduler;

/** A host port a container wants: protocol (TCP/UDP/SCTP), host IP ("0.0.0.0" = all) and port. */
public record HostPort(String protocol, String ip, int port) {

    public static final String ANY_IP = "0.0.0.0";

    /** Upstream conflict rule: same protocol and port, and either side on the wildcard or same IP. */
    public boolean conflicts(HostPort other) {
        if (port != other.port || !protocol.equals(other.protocol)) {
            return false;
        }
        return ip.equals(ANY_IP) || other.ip.equals(ANY_IP) || ip.equals(other.ip);
    }
}
