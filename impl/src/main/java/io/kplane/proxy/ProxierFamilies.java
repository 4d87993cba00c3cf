package io.kplane.proxy;

import io.kplane.model.Node;
import io.kplane.model.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which IP families a node's proxy programs, and each family's proxier config — kube-proxy's
 * dual-stack start-up decision. Upstream kube-proxy takes its primary family from the node IP
 * (the first given, else the first of its Node's addresses) and runs a second proxier for the
 * other family whenever the host supports it (the family's iptables/nftables can be used); each
 * proxier gets that family's node IP and the cluster CIDR of that family ({@code --cluster-cidr}
 * takes one per family). {@code --ip-families} pins the families instead.
 */
public final class ProxierFamilies {
    /** The flag value that asks for upstream's rule (primary from the node IP, both when supported). */
    public static final String AUTO = "auto";

    private ProxierFamilies() {
    }

    /**
     * One config per family, primary first.
     *
     * @param ipFamilies   {@link #AUTO}, or one or two of {@code IPv4}/{@code IPv6} (comma separated, primary first)
     * @param base         node-level settings (name, zone, masquerading ...); its node IP and cluster CIDR are ignored
     * @param nodeIPs      the node's IPs given as flags, at most one per family (may be empty)
     * @param clusterCIDRs the pod CIDRs, at most one per family (may be empty)
     * @param node         this node's Node object, or null when unknown
     * @param supported    whether the host can program a family (asked only for the secondary in auto mode)
     */
    public static List<ProxyConfig> resolve(String ipFamilies, ProxyConfig base, List<String> nodeIPs, List<String> clusterCIDRs,
                                            Node node, Predicate<IpFamily> supported) {
        checkOnePerFamily("--node-ip", nodeIPs);
        checkOnePerFamily("--cluster-cidr", clusterCIDRs);
        List<IpFamily> families = new ArrayList<>();
        if (ipFamilies == null || ipFamilies.isBlank() || ipFamilies.strip().equalsIgnoreCase(AUTO)) {
            IpFamily primary = primaryFamily(nodeIPs, node);
            families.add(primary);
            IpFamily other = primary == IpFamily.IPv4 ? IpFamily.IPv6 : IpFamily.IPv4;
            if (supported.test(other)) {
                families.add(other);
            }
        } else {
            for (String part : ipFamilies.split(",")) {
                IpFamily f = parseFamily(part.strip());
                if (families.contains(f)) {
                    throw new IllegalArgumentException("--ip-families names " + f.apiName() + " twice: '" + ipFamilies + "'");
                }
                families.add(f);
            }
        }
        List<ProxyConfig> out = new ArrayList<>();
        for (IpFamily f : families) {
            ProxyConfig c = base.forFamily(f, ofFamily(nodeIPs, f), ofFamily(clusterCIDRs, f));
            out.add(NodeIdentity.apply(c, node));
        }
        return List.copyOf(out);
    }

    /** The node IP's family: the first flag, else the Node's first InternalIP (then ExternalIP), else IPv4. */
    static IpFamily primaryFamily(List<String> nodeIPs, Node node) {
        if (!nodeIPs.isEmpty()) {
            return IpFamily.of(nodeIPs.get(0));
        }
        if (node != null && node.status() != null && node.status().addresses() != null) {
            for (String type : List.of("InternalIP", "ExternalIP")) {
                for (NodeAddress a : node.status().addresses()) {
                    if (type.equals(a.type()) && a.address() != null) {
                        try {
                            return IpFamily.of(a.address());
                        } catch (IllegalArgumentException notAnAddress) {
                            // a hostname in the address list: look further
                        }
                    }
                }
            }
        }
        return IpFamily.IPv4;
    }

    /** {@code IPv4}/{@code IPv6} in any letter case (also {@code ipv4}, as users type it). */
    static IpFamily parseFamily(String name) {
        for (IpFamily f : IpFamily.values()) {
            if (f.apiName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("--ip-families takes auto, or IPv4 and/or IPv6 (comma separated, primary first), not '" + name + "'");
    }

    private static void checkOnePerFamily(String flag, List<String> values) {
        if (values.size() > 2) {
            throw new IllegalArgumentException(flag + " takes at most one value per IP family, not " + values);
        }
        List<IpFamily> seen = new ArrayList<>();
        for (String v : values) {
            IpFamily f = IpFamily.of(v); // rejects garbage with a message naming it
            if (seen.contains(f)) {
                throw new IllegalArgumentException(flag + " takes at most one value per IP family, " + values + " has two " + f.apiName());
            }
            seen.add(f);
        }
    }

    private static String ofFamily(List<String> values, IpFamily f) {
        for (String v : values) {
            if (f.matches(v)) {
                return v;
            }
        }
        return null;
    }
}
