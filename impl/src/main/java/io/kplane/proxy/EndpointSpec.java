package io.kplane.proxy;

/**
 * One endpoint address of an EndpointSlice for one port, with its conditions.
 *
 * <p>Conditions follow the API defaults as kube-proxy reads them: {@code ready} unset means
 * ready, {@code serving} unset means serving, {@code terminating} unset means false.
 */
public record EndpointSpec(String ip, int port, boolean ready, boolean serving, boolean terminating, String nodeName,
                           java.util.Set<String> zoneHints, java.util.Set<String> nodeHints) {

    public EndpointSpec {
        zoneHints = zoneHints == null ? java.util.Set.of() : java.util.Set.copyOf(zoneHints);
        nodeHints = nodeHints == null ? java.util.Set.of() : java.util.Set.copyOf(nodeHints);
    }

    public EndpointSpec(String ip, int port, boolean ready, boolean serving, boolean terminating, String nodeName) {
        this(ip, port, ready, serving, terminating, nodeName, null, null);
    }

    public static EndpointSpec ready(String ip, int port, String nodeName) {
        return new EndpointSpec(ip, port, true, true, false, nodeName);
    }

    /** {@code ip:port} ({@code [ip]:port} for IPv6), the form kube-proxy hashes into endpoint chain names and DNATs to. */
    public String address() {
        return IpFamily.hostPort(ip, port);
    }
}
