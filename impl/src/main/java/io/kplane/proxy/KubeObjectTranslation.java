package io.kplane.proxy;

import io.kplane.model.EndpointConditions;
import io.kplane.model.EndpointPort;
import io.kplane.model.EndpointSlice;
import io.kplane.model.LoadBalancerIngress;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Service;
import io.kplane.model.ServicePort;
import io.kplane.model.ServiceSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what kube-proxy reads from API objects: the proxied ports of a Service and the endpoints
 * of an EndpointSlice, with the API's defaults and kube-proxy's filters (headless and
 * ExternalName Services, and addresses of the other family, are not proxied by one family's proxier;
 * kube-proxy runs one proxier per family).
 */
public final class KubeObjectTranslation {
    /** The label tying an EndpointSlice to its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** When the change that produced an EndpointSlice happened (for network programming latency). */
    public static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private KubeObjectTranslation() {
    }

    public static NamespacedName key(ObjectMeta m) {
        if (m == null || m.name() == null) {
            throw new IllegalArgumentException("object without metadata.name");
        }
        return new NamespacedName(m.namespace() == null ? "default" : m.namespace(), m.name());
    }

    /** The ports the IPv4 proxier programs for this Service; empty when it is not proxied. */
    public static List<ServicePortSpec> servicePorts(Service svc) {
        return servicePorts(svc, IpFamily.IPv4);
    }

    /**
     * The cluster IP of {@code family} (upstream {@code GetClusterIPByFamily}): with
     * {@code spec.ipFamilies} set, the {@code clusterIPs} entry at that family's index; without it
     * (an old object), {@code clusterIP} if it is of that family. Null when the Service has none.
     */
    static String clusterIPOf(ServiceSpec spec, IpFamily family, NamespacedName key) {
        List<String> families = spec.ipFamilies();
        if (families == null || families.isEmpty()) {
            String ip = spec.clusterIP();
            if (ip == null || ip.isEmpty() || ip.equals("None")) {
                return null;
            }
            if (!IpAddress.isValid(ip)) {
                throw new IllegalArgumentException("Service " + key + ": invalid clusterIP \"" + ip + "\"");
            }
            return family.matches(ip) ? ip : null;
        }
        List<String> ips = spec.clusterIPs() == null || spec.clusterIPs().isEmpty()
                ? (spec.clusterIP() == null ? List.of() : List.of(spec.clusterIP())) : spec.clusterIPs();
        for (int i = 0; i < families.size(); i++) {
            if (family.apiName().equals(families.get(i)) && i < ips.size()) {
                String ip = ips.get(i);
                if (ip == null || ip.isEmpty() || ip.equals("None")) {
                    return null;
                }
                if (!family.matches(ip)) {
                    throw new IllegalArgumentException("Service " + key + ": clusterIPs[" + i + "] \"" + ip
                            + "\" is not an " + family.apiName() + " address as ipFamilies[" + i + "] says");
                }
                return ip;
            }
        }
        return null;
    }

    /** The ports {@code family}'s proxier programs for this Service; empty when it is not proxied by it. */
    public static List<ServicePortSpec> servicePorts(Service svc, IpFamily family) {
        NamespacedName key = key(svc.metadata());
        ServiceSpec spec = svc.spec();
        if (spec == null || "ExternalName".equals(spec.type())) {
            return List.of();
        }
        String clusterIP = clusterIPOf(spec, family, key);
        if (clusterIP == null) {
            return List.of(); // headless, or no cluster IP of this family: the other proxier's business
        }
        String type = spec.type() == null ? "ClusterIP" : spec.type();
        boolean lbType = type.equals("LoadBalancer");
        boolean nodePortType = lbType || type.equals("NodePort");
        List<String> externalIPs = ofFamily(spec.externalIPs(), family);
        List<String> lbIPs = new ArrayList<>();
        if (lbType && svc.status() != null && svc.status().loadBalancer() != null
                && svc.status().loadBalancer().ingress() != null) {
            for (LoadBalancerIngress in : svc.status().loadBalancer().ingress()) {
                // ipMode Proxy: the load balancer delivers to the node, not to the VIP.
                if (in.ip() != null && family.matches(in.ip()) && !"Proxy".equals(in.ipMode())) {
                    lbIPs.add(in.ip());
                }
            }
        }
        List<String> sourceRanges = new ArrayList<>();
        if (lbType && spec.loadBalancerSourceRanges() != null) {
            for (String r : spec.loadBalancerSourceRanges()) {
                String t = r.trim();
                if (Cidr.parse(t).family() == family) { // rejects garbage with a clear message
                    sourceRanges.add(t);
                }
            }
        }
        boolean affinity = "ClientIP".equals(spec.sessionAffinity());
        int sticky = ServicePortSpec.DEFAULT_STICKY_SECONDS;
        if (affinity && spec.sessionAffinityConfig() != null && spec.sessionAffinityConfig().clientIP() != null
                && spec.sessionAffinityConfig().clientIP().timeoutSeconds() != null) {
            sticky = spec.sessionAffinityConfig().clientIP().timeoutSeconds();
        }
        boolean externallyAccessible = nodePortType || !externalIPs.isEmpty();
        boolean etpLocal = externallyAccessible && "Local".equals(spec.externalTrafficPolicy());
        boolean itpLocal = "Local".equals(spec.internalTrafficPolicy());
        int hcnp = lbType && etpLocal && spec.healthCheckNodePort() != null ? spec.healthCheckNodePort() : 0;
        List<ServicePortSpec> out = new ArrayList<>();
        if (spec.ports() == null) {
            return out;
        }
        for (ServicePort p : spec.ports()) {
            if (p.port() == null || p.port() <= 0 || p.port() > 65535) {
                throw new IllegalArgumentException("Service " + key + ": port " + p.name() + " has no valid port number");
            }
            Protocol proto;
            try {
                proto = Protocol.parse(p.protocol());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Service " + key + ": " + e.getMessage(), e);
            }
            int nodePort = nodePortType && p.nodePort() != null ? p.nodePort() : 0;
            out.add(new ServicePortSpec(new ServicePortName(key.namespace(), key.name(), p.name(), proto),
                    clusterIP, p.port(), nodePort, externalIPs, lbIPs, sourceRanges, affinity, sticky, etpLocal,
                    itpLocal, hcnp));
        }
        return out;
    }

    /** The slice's endpoints for the proxy, or null when the slice names no Service. */
    public static EndpointSliceSpec endpointSlice(EndpointSlice es) {
        NamespacedName key = key(es.metadata());
        String service = es.metadata().labels() == null ? null : es.metadata().labels().get(SERVICE_NAME_LABEL);
        if (service == null || service.isEmpty()) {
            return null;
        }
        List<EndpointSliceSpec.Port> ports = new ArrayList<>();
        if (es.ports() != null) {
            for (EndpointPort p : es.ports()) {
                Protocol proto;
                try {
                    proto = Protocol.parse(p.protocol());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("EndpointSlice " + key + ": " + e.getMessage(), e);
                }
                ports.add(new EndpointSliceSpec.Port(p.name(), p.port() == null ? 0 : p.port(), proto));
            }
        }
        List<EndpointSliceSpec.Endpoint> eps = new ArrayList<>();
        if (es.endpoints() != null) {
            for (io.kplane.model.Endpoint e : es.endpoints()) {
                if (e.addresses() == null || e.addresses().isEmpty()) {
                    continue;
                }
                EndpointConditions c = e.conditions();
                eps.add(new EndpointSliceSpec.Endpoint(e.addresses().get(0), c == null ? null : c.ready(),
                        c == null ? null : c.serving(), c == null ? null : c.terminating(), e.nodeName(),
                        hintNames(e, "forZones"), hintNames(e, "forNodes")));
            }
        }
        String addressType = es.addressType() == null ? "IPv4" : es.addressType();
        return new EndpointSliceSpec(key.namespace(), key.name(), service, addressType, ports, eps);
    }

    /** The names in {@code hints.forZones} or {@code hints.forNodes} of an endpoint (the model keeps hints unparsed). */
    static java.util.Set<String> hintNames(io.kplane.model.Endpoint e, String field) {
        if (!(e.extra().get("hints") instanceof java.util.Map<?, ?> hints) || !(hints.get(field) instanceof java.util.List<?> list)) {
            return java.util.Set.of();
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Object o : list) {
            if (o instanceof java.util.Map<?, ?> m && m.get("name") instanceof String name) {
                out.add(name);
            }
        }
        return out;
    }

    /** The slice's last-change-trigger-time in epoch nanoseconds, or -1. */
    public static long triggerTimeNanos(EndpointSlice es) {
        if (es.metadata() == null || es.metadata().annotations() == null) {
            return -1;
        }
        String t = es.metadata().annotations().get(TRIGGER_TIME_ANNOTATION);
        if (t == null) {
            return -1;
        }
        try {
            Instant i = Instant.parse(t);
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    private static List<String> ofFamily(List<String> ips, IpFamily family) {
        List<String> out = new ArrayList<>();
        if (ips != null) {
            for (String ip : ips) {
                if (family.matches(ip)) {
                    out.add(ip);
                }
            }
        }
        return out;
    }

    /** Loads every Service and EndpointSlice of {@code objects} into the tracker. */
    public static void load(ServiceTracker tracker, List<? extends Object> objects) {
        for (Object o : objects) {
            if (o instanceof Service s) {
                tracker.upsertService(key(s.metadata()), servicePorts(s, tracker.family()));
            } else if (o instanceof EndpointSlice es) {
                EndpointSliceSpec spec = endpointSlice(es);
                if (spec != null) {
                    tracker.upsertEndpointSlice(spec, triggerTimeNanos(es));
                }
            }
        }
    }
}
