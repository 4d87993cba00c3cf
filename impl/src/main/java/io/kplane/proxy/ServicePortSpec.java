package io.kplane.proxy;

import java.util.List;

/**
 * What kube-proxy needs to know about one port of a Service, extracted from the API object.
 *
 * @param name                     the service port
 * @param clusterIP                the (IPv4) cluster IP
 * @param port                     the service port number
 * @param nodePort                 0 when none
 * @param externalIPs              {@code spec.externalIPs}
 * @param loadBalancerIPs          {@code status.loadBalancer.ingress[].ip}
 * @param loadBalancerSourceRanges {@code spec.loadBalancerSourceRanges}
 * @param clientIPAffinity         {@code sessionAffinity: ClientIP}
 * @param stickySeconds            {@code sessionAffinityConfig.clientIP.timeoutSeconds} (default 10800)
 * @param externalPolicyLocal      externalTrafficPolicy Local on an externally accessible service
 * @param internalPolicyLocal      internalTrafficPolicy Local
 * @param healthCheckNodePort      0 when none
 */
public record ServicePortSpec(
        ServicePortName name,
        String clusterIP,
        int port,
        int nodePort,
        List<String> externalIPs,
        List<String> loadBalancerIPs,
        List<String> loadBalancerSourceRanges,
        boolean clientIPAffinity,
        int stickySeconds,
        boolean externalPolicyLocal,
        boolean internalPolicyLocal,
        int healthCheckNodePort) {

    /** kube-proxy's default ClientIP affinity timeout (3 hours). */
    public static final int DEFAULT_STICKY_SECONDS = 10800;

    public ServicePortSpec {
        externalIPs = List.copyOf(externalIPs == null ? List.of() : externalIPs);
        loadBalancerIPs = List.copyOf(loadBalancerIPs == null ? List.of() : loadBalancerIPs);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges == null ? List.of() : loadBalancerSourceRanges);
    }

    /** A plain ClusterIP port with no external exposure, no affinity, cluster policies. */
    public static ServicePortSpec clusterIP(ServicePortName name, String clusterIP, int port) {
        return new ServicePortSpec(name, clusterIP, port, 0, List.of(), List.of(), List.of(), false,
                DEFAULT_STICKY_SECONDS, false, false, 0);
    }

    public ServicePortSpec withNodePort(int np) {
        return new ServicePortSpec(name, clusterIP, port, np, externalIPs, loadBalancerIPs, loadBalancerSourceRanges,
                clientIPAffinity, stickySeconds, externalPolicyLocal, internalPolicyLocal, healthCheckNodePort);
    }

    public ServicePortSpec withExternal(List<String> extIPs, List<String> lbIPs, List<String> sourceRanges) {
        return new ServicePortSpec(name, clusterIP, port, nodePort, extIPs, lbIPs, sourceRanges,
                clientIPAffinity, stickySeconds, externalPolicyLocal, internalPolicyLocal, healthCheckNodePort);
    }

    public ServicePortSpec withAffinity(int seconds) {
        return new ServicePortSpec(name, clusterIP, port, nodePort, externalIPs, loadBalancerIPs,
                loadBalancerSourceRanges, true, seconds, externalPolicyLocal, internalPolicyLocal, healthCheckNodePort);
    }

    public ServicePortSpec withPolicies(boolean externalLocal, boolean internalLocal) {
        return new ServicePortSpec(name, clusterIP, port, nodePort, externalIPs, loadBalancerIPs,
                loadBalancerSourceRanges, clientIPAffinity, stickySeconds, externalLocal, internalLocal,
                healthCheckNodePort);
    }

    /** NodePort, LoadBalancer or external IPs: reachable from outside the cluster. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !loadBalancerIPs.isEmpty() || !externalIPs.isEmpty();
    }
}
