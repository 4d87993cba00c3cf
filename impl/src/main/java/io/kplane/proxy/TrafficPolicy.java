package io.kplane.proxy;

/**
 * How one service port's traffic reaches its endpoints — the part of kube-proxy's per-service
 * loop that the iptables and nftables backends share; only the chain names differ between them.
 *
 * @param hasEndpoints             some endpoint can take traffic at all
 * @param usesClusterPolicyChain   the cluster-wide policy chain is written (cluster endpoints exist and are used)
 * @param usesLocalPolicyChain     the node-local policy chain is written
 * @param internalLocal            internalTrafficPolicy Local: in-cluster traffic goes to the local chain
 * @param hasInternalEndpoints     in-cluster traffic has an endpoint under its policy
 * @param externalLocal            externalTrafficPolicy Local: external traffic goes to the local chain
 * @param hasExternalEndpoints     external traffic has an endpoint under its policy
 * @param usesExternalTrafficChain the external-traffic chain is written (endpoints exist, reachable from outside)
 */
public record TrafficPolicy(boolean hasEndpoints, boolean usesClusterPolicyChain, boolean usesLocalPolicyChain,
                     boolean internalLocal, boolean hasInternalEndpoints, boolean externalLocal,
                     boolean hasExternalEndpoints, boolean usesExternalTrafficChain) {

    public static TrafficPolicy of(ServicePortInfo svc, EndpointCategories cat) {
        boolean any = cat.hasAny();
        boolean noLocal = cat.local().isEmpty();
        return new TrafficPolicy(any,
                !cat.cluster().isEmpty() && svc.usesClusterEndpoints(),
                !noLocal && svc.usesLocalEndpoints(),
                svc.internalPolicyLocal(), any && !(svc.internalPolicyLocal() && noLocal),
                svc.externalPolicyLocal(), any && !(svc.externalPolicyLocal() && noLocal),
                any && svc.externallyAccessible());
    }

    /** The chain in-cluster traffic jumps to, given the backend's names for the two policy chains. */
    public String internalChain(String clusterChain, String localChain) {
        return internalLocal ? localChain : clusterChain;
    }

    /** The chain external traffic ends in, given the backend's names for the two policy chains. */
    public String externalChain(String clusterChain, String localChain) {
        return externalLocal ? localChain : clusterChain;
    }
}
