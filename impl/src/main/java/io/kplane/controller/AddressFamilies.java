package io.kplane.controller;

import io.kplane.model.Pod;
import io.kplane.model.PodIP;
import io.kplane.model.PodStatus;
import io.kplane.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Which IP families a Service's endpoints are listed in, and a pod's addresses in each — upstream's
 * {@code getAddressTypesForService} and {@code getEndpointAddresses} (pkg/controller/endpointslice).
 * A dual-stack Service gets one set of slices per family; a pod appears in a family's slices only
 * with its address of that family.
 */
final class AddressFamilies {
    static final String IPV4 = "IPv4";
    static final String IPV6 = "IPv6";

    private AddressFamilies() {
    }

    /**
     * The EndpointSlice address types of a Service: its {@code spec.ipFamilies}; else the family of
     * its cluster IP; else (headless with no families, which the API server would have defaulted)
     * both, as upstream does.
     */
    static List<String> addressTypes(ServiceSpec spec) {
        List<String> types = new ArrayList<>();
        for (String family : spec.ipFamilies()) {
            if (IPV4.equals(family) && !types.contains(IPV4)) {
                types.add(IPV4);
            } else if (IPV6.equals(family) && !types.contains(IPV6)) {
                types.add(IPV6);
            }
        }
        if (!types.isEmpty()) {
            return types;
        }
        String clusterIP = spec.clusterIP();
        if (clusterIP != null && !clusterIP.isEmpty() && !"None".equals(clusterIP)) {
            return List.of(familyOf(clusterIP));
        }
        return List.of(IPV4, IPV6);
    }

    /** The pod's addresses of one family, from {@code status.podIPs} ({@code podIP} when that list is unset). */
    static List<String> podAddresses(Pod pod, String addressType) {
        PodStatus st = pod.statusOrEmpty();
        List<String> all = new ArrayList<>();
        for (PodIP ip : st.podIPs()) {
            all.add(ip.ip());
        }
        if (all.isEmpty() && st.podIP() != null && !st.podIP().isEmpty()) {
            all.add(st.podIP());
        }
        List<String> out = new ArrayList<>();
        for (String ip : all) {
            if (ip != null && familyOf(ip).equals(addressType)) {
                out.add(ip);
            }
        }
        return out;
    }

    /** IPv6 addresses contain a colon, IPv4 ones never do. */
    static String familyOf(String ip) {
        return ip.indexOf(':') >= 0 ? IPV6 : IPV4;
    }
}
