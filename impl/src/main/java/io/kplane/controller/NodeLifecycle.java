package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.model.Condition;
import io.kplane.model.Lease;
import io.kplane.model.Node;
import io.kplane.model.NodeSpec;
import io.kplane.model.Pod;
import io.kplane.model.Taint;
import io.kplane.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node lifecycle controller's monitor pass as a deterministic state machine (time passed in):
 * kubernetes/pkg/controller/nodelifecycle with its taint-based eviction.
 *
 * <ul>
 *   <li>Health: a node is heard from when its Lease in {@code kube-node-lease} is renewed
 *       (renewTime changes) or its Ready condition's lastHeartbeatTime changes; like upstream, the
 *       moment is the controller's own time of observation, not the times written by the
 *       kubelet.</li>
 *   <li>Not heard from for the grace period (default 50 s): Ready, MemoryPressure, DiskPressure
 *       and PIDPressure become Unknown (reason NodeStatusUnknown).</li>
 *   <li>Taints follow Ready: False → {@code node.kubernetes.io/not-ready}, Unknown →
 *       {@code node.kubernetes.io/unreachable}, each as NoExecute and NoSchedule; True → removed.</li>
 *   <li>Eviction (upstream's taint eviction controller): a pod on a node with a NoExecute taint
 *       is deleted once the taint has been there for the smallest tolerationSeconds of its
 *       matching tolerations (a matching toleration without tolerationSeconds: never); a pod with
 *       no matching toleration is deleted at once. Ordinary pods survive a not-ready/unreachable
 *       node for 300 s only because the API server's DefaultTolerationSeconds admission gave them
 *       tolerations of 300 s when they were created; this controller reads those, it assumes no
 *       default of its own.</li>
 * </ul>
 * One write per node per pass (status first, then taints): each is conditioned on the node's
 * resourceVersion and the next pass sees the result.
 */
public final class NodeLifecycle {
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    /**
     * @param gracePeriod how long a node may stay silent (upstream --node-monitor-grace-period, 50 s)
     */
    public record Config(Duration gracePeriod) {
        public static final Config DEFAULT = new Config(Duration.ofSeconds(50));
    }

    /** The writes of one pass and when the next is needed (an eviction falling due), or null. */
    public record Plan(List<Action> actions, Instant nextAt) {
    }

    private record Heard(Instant leaseRenew, Instant readyHeartbeat, Instant observedAt) {
    }

    private final Config config;
    private final Map<String, Heard> heard = new HashMap<>();

    public NodeLifecycle(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** One monitor pass over every node, its Lease (by node name) and the pods bound to nodes. */
    public Plan pass(List<Node> nodes, Map<String, Lease> leasesByNode, List<Pod> pods, Instant now) {
        List<Action> actions = new ArrayList<>();
        Instant nextAt = null;
        Set<String> seen = new HashSet<>();
        Map<String, Node> byName = new HashMap<>();
        for (Node node : nodes) {
            String name = node.name();
            seen.add(name);
            byName.put(name, node);
            Lease lease = leasesByNode.get(name);
            Instant renew = lease == null || lease.spec() == null ? null : lease.spec().renewTime();
            Condition ready = readyCondition(node);
            Instant beat = ready == null ? null : ready.lastHeartbeatTime();
            Heard h = heard.get(name);
            if (h == null || !Objects.equals(h.leaseRenew, renew) || !Objects.equals(h.readyHeartbeat, beat)) {
                h = new Heard(renew, beat, now);
                heard.put(name, h);
            }
            Instant silentUntil = h.observedAt.plus(config.gracePeriod);
            if (now.isAfter(silentUntil)) {
                if (ready == null || !Condition.UNKNOWN.equals(ready.status())) {
                    actions.add(new Action.UpdateStatus<>(ApiResource.NODES, markUnknown(node, now)));
                    continue;   // taints follow on the next pass, against the updated node
                }
            } else if ((ready == null || !Condition.UNKNOWN.equals(ready.status()))
                    && (nextAt == null || silentUntil.isBefore(nextAt))) {
                nextAt = silentUntil.plusMillis(1);   // when it would turn Unknown
            }
            List<Taint> wanted = taints(node, now);
            if (!sameTaints(node.spec() == null ? List.of() : node.spec().taints(), wanted)) {
                NodeSpec spec = node.spec() == null ? new NodeSpec(null, null, null, null, wanted, null) : node.spec().withTaints(wanted);
                actions.add(new Action.Update<>(ApiResource.NODES, node.withSpec(spec)));
            }
        }
        heard.keySet().retainAll(seen);
        for (Pod p : pods) {
            if (p.spec() == null || p.spec().nodeName() == null || PodState.isTerminating(p) || PodState.isTerminal(p)) {
                continue;
            }
            Node node = byName.get(p.spec().nodeName());
            if (node == null || node.spec() == null) {
                continue;
            }
            Instant evictAt = evictionTime(p, node.spec().taints());
            if (evictAt == null) {
                continue;
            }
            if (!evictAt.isAfter(now)) {
                actions.add(new Action.Delete<>(ApiResource.PODS, p.namespace(), p.name(),
                        DeleteOptions.preconditionUid(p.metadata().uid())));
            } else if (nextAt == null || evictAt.isBefore(nextAt)) {
                nextAt = evictAt;
            }
        }
        return new Plan(actions, nextAt);
    }

    private static Condition readyCondition(Node node) {
        return node.status() == null ? null : Condition.find(node.status().conditions(), "Ready");
    }

    private static Node markUnknown(Node node, Instant now) {
        List<Condition> next = new ArrayList<>();
        Set<String> done = new HashSet<>();
        List<Condition> old = node.status() == null ? List.of() : node.status().conditions();
        for (Condition c : old) {
            if (CONDITIONS.contains(c.type())) {
                done.add(c.type());
                if (!Condition.UNKNOWN.equals(c.status())) {
                    c = c.withStatus(Condition.UNKNOWN).withReasonAndMessage("NodeStatusUnknown", "Kubelet stopped posting node status.")
                            .withLastTransitionTime(now);
                }
            }
            next.add(c);
        }
        for (String type : CONDITIONS) {
            if (!done.contains(type)) {
                next.add(new Condition(type, Condition.UNKNOWN, "NodeStatusNeverUpdated", "Kubelet never posted node status.",
                        null, null, null, now, null, null));
            }
        }
        var status = node.status() == null
                ? new io.kplane.model.NodeStatus(null, null, null, next, null, null, null, null)
                : node.status().withConditions(next);
        return node.withStatus(status);
    }

    /** The node's taints with not-ready/unreachable set as its Ready condition says. */
    private static List<Taint> taints(Node node, Instant now) {
        Condition ready = readyCondition(node);
        String want = ready == null || Condition.TRUE.equals(ready.status()) ? null
                : Condition.FALSE.equals(ready.status()) ? NOT_READY : UNREACHABLE;
        List<Taint> current = node.spec() == null ? List.of() : node.spec().taints();
        List<Taint> out = new ArrayList<>();
        for (Taint t : current) {
            boolean ours = NOT_READY.equals(t.key()) || UNREACHABLE.equals(t.key());
            if (!ours || t.key().equals(want)) {
                out.add(t);
            }
        }
        if (want != null) {
            for (String effect : List.of("NoExecute", "NoSchedule")) {
                boolean present = out.stream().anyMatch(t -> want.equals(t.key()) && effect.equals(t.effect()));
                if (!present) {
                    out.add(new Taint(want, null, effect, "NoExecute".equals(effect) ? now : null, null));
                }
            }
        }
        return out;
    }

    private static boolean sameTaints(List<Taint> a, List<Taint> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Taint t : b) {
            if (a.stream().noneMatch(x -> Objects.equals(x.key(), t.key()) && Objects.equals(x.effect(), t.effect())
                    && Objects.equals(x.value(), t.value()))) {
                return false;
            }
        }
        return true;
    }

    /** When the pod must go because of the node's NoExecute taints, or null if never. */
    Instant evictionTime(Pod p, List<Taint> taints) {
        List<Toleration> tolerations = p.spec().tolerations();
        Instant earliest = null;
        for (Taint t : taints) {
            if (!"NoExecute".equals(t.effect())) {
                continue;
            }
            Instant added = t.timeAdded() == null ? Instant.EPOCH : t.timeAdded();
            Long seconds = null;
            boolean matched = false;
            for (Toleration tol : tolerations) {
                if (tol.tolerates(t)) {
                    matched = true;
                    if (tol.tolerationSeconds() != null) {
                        seconds = seconds == null ? tol.tolerationSeconds() : Math.min(seconds, tol.tolerationSeconds());
                    }
                }
            }
            Instant at;
            if (!matched) {
                at = added;
            } else if (seconds != null) {
                at = added.plusSeconds(Math.max(0, seconds));
            } else {
                continue;   // tolerated forever
            }
            if (earliest == null || at.isBefore(earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }
}
