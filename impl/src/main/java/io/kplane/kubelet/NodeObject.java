package io.kplane.kubelet;

import io.kplane.model.Condition;
import io.kplane.model.Node;
import io.kplane.model.NodeAddress;
import io.kplane.model.NodeSpec;
import io.kplane.model.NodeStatus;
import io.kplane.model.NodeSystemInfo;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node a hollow kubelet registers and the status it reports: capacity = allocatable (nothing is
 * reserved for a system that does not exist), the well-known labels, and the four conditions a
 * healthy kubelet posts.
 */
final class NodeObject {
    static final String KUBELET_VERSION = "v1.32.0-kplane";

    private NodeObject() {
    }

    static Node registration(KubeletConfig c, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", c.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("topology.kubernetes.io/zone", c.zone());
        labels.put("node.kubernetes.io/instance-type", "hollow");
        labels.putAll(c.extraLabels());
        ObjectMeta meta = ObjectMeta.of(null, c.nodeName()).withLabels(labels);
        List<String> podCidrs = c.dualStack() ? List.of(c.podCidr(), c.podCidrV6()) : List.of(c.podCidr());
        NodeSpec spec = new NodeSpec(c.podCidr(), podCidrs, "kplane://" + c.nodeName(), null, null, null);
        return Node.of(meta, spec, status(c, null, now));
    }

    /** The status to report; conditions keep their transition times when their value is unchanged. */
    static NodeStatus status(KubeletConfig c, NodeStatus current, Instant now) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", Quantity.parse(c.cpu()));
        resources.put("memory", Quantity.parse(c.memory()));
        resources.put("pods", Quantity.parse(Integer.toString(c.maxPods())));
        resources.put("ephemeral-storage", Quantity.parse("100Gi"));
        List<Condition> old = current == null ? List.of() : current.conditions();
        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition(old, "MemoryPressure", Condition.FALSE, "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now));
        conditions.add(condition(old, "DiskPressure", Condition.FALSE, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now));
        conditions.add(condition(old, "PIDPressure", Condition.FALSE, "KubeletHasSufficientPID", "kubelet has sufficient PID available", now));
        conditions.add(condition(old, "Ready", Condition.TRUE, "KubeletReady", "kubelet is posting ready status", now));
        NodeSystemInfo info = new NodeSystemInfo(c.nodeName(), c.nodeName(), "hollow", "hollow", "kplane hollow node",
                "hollow://1.0", KUBELET_VERSION, KUBELET_VERSION, "linux", "amd64", null);
        return new NodeStatus(resources, resources, null, conditions,
                addresses(c),
                info, current == null ? null : current.images(), current == null ? null : current.extra());
    }

    /** InternalIPs, IPv4 first (the node's primary family), then the hostname. */
    private static List<NodeAddress> addresses(KubeletConfig c) {
        List<NodeAddress> out = new ArrayList<>();
        out.add(NodeAddress.of("InternalIP", c.internalIp()));
        if (c.dualStack()) {
            out.add(NodeAddress.of("InternalIP", c.internalIpV6()));
        }
        out.add(NodeAddress.of("Hostname", c.nodeName()));
        return out;
    }

    /** True when {@code current}'s conditions say something other than what the kubelet would report. */
    static boolean conditionsDiffer(NodeStatus current, NodeStatus desired) {
        if (current == null) {
            return true;
        }
        for (Condition want : desired.conditions()) {
            Condition have = Condition.find(current.conditions(), want.type());
            if (have == null || !want.status().equals(have.status()) || !want.reason().equals(have.reason())) {
                return true;
            }
        }
        return !desired.capacity().equals(current.capacity()) || !desired.allocatable().equals(current.allocatable());
    }

    /** The oldest heartbeat among the conditions the kubelet reports (null if none). */
    static Instant lastHeartbeat(NodeStatus current) {
        if (current == null) {
            return null;
        }
        Condition ready = Condition.find(current.conditions(), "Ready");
        return ready == null ? null : ready.lastHeartbeatTime();
    }

    private static Condition condition(List<Condition> old, String type, String status, String reason, String message, Instant now) {
        Condition prev = Condition.find(old, type);
        Instant since = prev != null && status.equals(prev.status()) && prev.lastTransitionTime() != null ? prev.lastTransitionTime() : now;
        return Condition.of(type, status, reason, message, since).withLastHeartbeatTime(now);
    }
}
