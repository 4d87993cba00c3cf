package io.kplane.proxy;

/**
 * A service port as the renderers use it: the spec plus every derived name, computed once when the
 * change is tracked (as kube-proxy's {@code newServiceInfo} does) so rendering only copies strings.
 */
public final class ServicePortInfo {
    private final ServicePortSpec spec;
    private final String nameString;
    private final String protocol;
    private final String portString;
    private final String nodePortString;
    private final String clusterChain;
    private final String localChain;
    private final String externalChain;
    private final String firewallChain;
    private final NamespacedName service;
    private String nftBase;
    private String nftServiceChain;

    public ServicePortInfo(ServicePortSpec spec) {
        this.spec = spec;
        this.nameString = spec.name().toString();
        this.protocol = spec.name().protocol().lower();
        this.portString = Integer.toString(spec.port());
        this.nodePortString = Integer.toString(spec.nodePort());
        String hash = ChainNames.portProtoHash(nameString, protocol);
        this.clusterChain = "KUBE-SVC-" + hash;
        this.localChain = "KUBE-SVL-" + hash;
        this.externalChain = "KUBE-EXT-" + hash;
        this.firewallChain = "KUBE-FW-" + hash;
        this.service = spec.name().service();
    }

    public ServicePortSpec spec() { return spec; }
    public ServicePortName name() { return spec.name(); }
    /** The Service this port belongs to (cached). */
    public NamespacedName service() { return service; }
    public String nameString() { return nameString; }
    public String protocol() { return protocol; }
    public String clusterIP() { return spec.clusterIP(); }
    public String portString() { return portString; }
    public String nodePortString() { return nodePortString; }
    public String clusterChain() { return clusterChain; }
    public String localChain() { return localChain; }
    public String externalChain() { return externalChain; }
    public String firewallChain() { return firewallChain; }
    public String nftBase() {
        // Computed on first use: only the nftables renderer needs it.
        if (nftBase == null) {
            nftBase = ChainNames.nftServiceBase(spec.name());
        }
        return nftBase;
    }

    /** {@code service-BASE}, the cluster policy chain, kept like {@link EndpointInfo#nftChain()}. */
    public String nftServiceChain() {
        if (nftServiceChain == null) {
            nftServiceChain = "service-" + nftBase();
        }
        return nftServiceChain;
    }

    public boolean internalPolicyLocal() { return spec.internalPolicyLocal(); }

    /** Only meaningful on an externally accessible service, as upstream computes it. */
    public boolean externalPolicyLocal() { return spec.externalPolicyLocal() && spec.externallyAccessible(); }

    public boolean externallyAccessible() { return spec.externallyAccessible(); }

    /** Cluster endpoints are needed for Cluster internal policy, or for any external traffic (short-circuiting). */
    public boolean usesClusterEndpoints() { return !internalPolicyLocal() || externallyAccessible(); }

    public boolean usesLocalEndpoints() { return internalPolicyLocal() || externalPolicyLocal(); }
}
