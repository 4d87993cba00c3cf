package io.kplane.proxy;

import io.kplane.model.Node;
import io.kplane.model.NodeAddress;
import java.util.List;
import java.util.Map;

/**
 * What a proxier learns from its own Node object, as kube-proxy does at start: the node IP of its
 * family (the first InternalIP of that family, else the first ExternalIP — upstream
 * {@code GetNodeHostIPs}' order) and the {@code topology.kubernetes.io/zone} label that topology
 * hints are matched against. Values given explicitly (flags) win over the Node's.
 */
public final class NodeIdentity {
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private NodeIdentity() {
    }

    /** {@code config} with the node IP and zone it does not have yet taken from {@code node} (null: unchanged). */
    public static ProxyConfig apply(ProxyConfig config, Node node) {
        if (node == null) {
            return config;
        }
        ProxyConfig c = config;
        if (c.nodeIP() == null) {
            String ip = nodeIP(node, c.family());
            if (ip != null) {
                c = c.withNodeIP(ip);
            }
        }
        Map<String, String> labels = node.metadata().labels();
        if (c.nodeZone() == null && labels != null && labels.get(ZONE_LABEL) != null) {
            c = c.withNodeZone(labels.get(ZONE_LABEL));
        }
        return c;
    }

    /** The node's address of {@code family}: InternalIPs first, then ExternalIPs; null if it has none. */
    public static String nodeIP(Node node, IpFamily family) {
        List<NodeAddress> addresses = node.status() == null || node.status().addresses() == null ? List.of()
                : node.status().addresses();
        for (String type : List.of("InternalIP", "ExternalIP")) {
            for (NodeAddress a : addresses) {
                if (type.equals(a.type()) && a.address() != null && family.matches(a.address())) {
                    return a.address();
                }
            }
        }
        return null;
    }
}
