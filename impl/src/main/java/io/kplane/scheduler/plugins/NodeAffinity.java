package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.NodeSelector;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.QueueingHint;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/**
 * Filter: nodeSelector and required node affinity. Score: sum of the weights of matching
 * preferred terms, normalized to {@code 100·s/max}.
 */
public final class NodeAffinity implements Plugin.PreFilter, Plugin.Filter, Plugin.PreScore, Plugin.Score {
    public static final String NAME = "NodeAffinity";
    private static final Status REJECT = Status.unresolvable(NAME, "node(s) didn't match Pod's node affinity/selector");

    @Override
    public String name() { return NAME; }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        if (pod.nodeSelector().isEmpty() && pod.requiredNodeAffinity() == null) {
            return PreFilterResult.SKIP;
        }
        return PreFilterResult.OK;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return pod.matchesNodeSelectorAndAffinity(node.node()) ? Status.SUCCESS : REJECT;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
        return pod.preferredNodeAffinity().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long sum = 0;
        List<NodeSelector.Preferred> prefs = pod.preferredNodeAffinity();
        for (int i = 0; i < prefs.size(); i++) {
            NodeSelector.Preferred p = prefs.get(i);
            if (p.weight() != 0 && p.term().matches(node.name(), node.labels())) {
                sum += p.weight();
            }
        }
        return sum;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, long[] scores, int n) {
        Framework.defaultNormalize(scores, n, false);
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL,
                (pod, oldObj, newObj) -> newObj instanceof NodeInfo.NodeSpec n && !pod.matchesNodeSelectorAndAffinity(n)
                        ? QueueingHint.SKIP : QueueingHint.QUEUE));
    }
}
