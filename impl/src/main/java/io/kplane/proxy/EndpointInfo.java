package io.kplane.proxy;

/**
 * One endpoint of one service port, with the names derived from it computed once
 * (kube-proxy's {@code newEndpointInfo}).
 */
public final class EndpointInfo {
    private final String ip;
    private final int port;
    private final String address;
    private final boolean ready;
    private final boolean serving;
    private final boolean terminating;
    private final boolean local;
    private final String nodeName;
    private final java.util.Set<String> zoneHints;
    private final java.util.Set<String> nodeHints;
    private final String chain;
    private final ServicePortName spn;
    private String nftBase;
    private String nftChain;

    public EndpointInfo(ServicePortName spn, EndpointSpec e, boolean local) {
        this.ip = e.ip();
        this.port = e.port();
        this.address = e.address();
        this.ready = e.ready();
        this.serving = e.serving();
        this.terminating = e.terminating();
        this.nodeName = e.nodeName();
        this.zoneHints = e.zoneHints();
        this.nodeHints = e.nodeHints();
        this.local = local;
        this.chain = ChainNames.endpointChain(spn.toString(), spn.protocol().lower(), address);
        this.spn = spn;
    }

    public String ip() { return ip; }
    public int port() { return port; }
    /** {@code ip:port}. */
    public String address() { return address; }
    public boolean ready() { return ready; }
    public boolean serving() { return serving; }
    public boolean terminating() { return terminating; }
    /** On this node. */
    public boolean local() { return local; }
    public String nodeName() { return nodeName; }
    /** Zones this endpoint is hinted for ({@code hints.forZones}); empty without hints. */
    public java.util.Set<String> zoneHints() { return zoneHints; }
    /** Nodes this endpoint is hinted for ({@code hints.forNodes}); empty without hints. */
    public java.util.Set<String> nodeHints() { return nodeHints; }
    /** {@code KUBE-SEP-...}. */
    public String chain() { return chain; }
    /** nftables base name; chains are {@code endpoint-BASE}, affinity sets {@code affinity-BASE}. */
    public String nftBase() {
        // Computed on first use: only the nftables renderer needs it.
        if (nftBase == null) {
            nftBase = ChainNames.nftEndpointBase(spn, ip, port);
        }
        return nftBase;
    }

    /** {@code endpoint-BASE}, kept so that its hash is computed once, not at every full render. */
    public String nftChain() {
        if (nftChain == null) {
            nftChain = "endpoint-" + nftBase();
        }
        return nftChain;
    }

    /** Same address and conditions: the derived names can be reused. */
    boolean sameAs(EndpointSpec e, boolean isLocal) {
        return ip.equals(e.ip()) && port == e.port() && ready == e.ready() && serving == e.serving()
                && terminating == e.terminating() && local == isLocal
                && java.util.Objects.equals(nodeName, e.nodeName()) && zoneHints.equals(e.zoneHints())
                && nodeHints.equals(e.nodeHints());
    }

    @Override
    public String toString() {
        return address;
    }
}
