package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.Taint;
import io.kplane.scheduler.Toleration;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.QueueingHint;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/**
 * Filter: every NoSchedule/NoExecute taint must be tolerated. Score: the number of intolerable
 * PreferNoSchedule taints, normalized in reverse (fewer is better).
 */
public final class TaintToleration implements Plugin.Filter, Plugin.Score {
    public static final String NAME = "TaintToleration";

    @Override
    public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<Taint> taints = node.node().taints();
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            if (t.effect() == Taint.Effect.PREFER_NO_SCHEDULE) {
                continue;
            }
            if (!Toleration.anyTolerates(pod.tolerations(), t)) {
                return Status.unresolvable(NAME, "node(s) had untolerated taint {" + t.key() + ": " + t.value() + "}");
            }
        }
        return Status.SUCCESS;
    }

    /** Only NoSchedule/NoExecute taints can reject; with none in the snapshot every node passes. */
    @Override
    public boolean acceptsAllNodes(CycleState state, PodInfo pod, Snapshot snapshot) {
        return snapshot.hardTaintedNodeCount() == 0;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Taint> taints = node.node().taints();
        long count = 0;
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            if (t.effect() != Taint.Effect.PREFER_NO_SCHEDULE) {
                continue;
            }
            boolean tolerated = false;
            for (Toleration tol : pod.tolerations()) {
                if ((tol.effect() == null || tol.effect() == Taint.Effect.PREFER_NO_SCHEDULE) && tol.tolerates(t)) {
                    tolerated = true;
                    break;
                }
            }
            if (!tolerated) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, long[] scores, int n) {
        Framework.defaultNormalize(scores, n, true);
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT,
                (pod, oldObj, newObj) -> {
                    if (!(newObj instanceof NodeInfo.NodeSpec n)) {
                        return QueueingHint.QUEUE;
                    }
                    for (Taint t : n.taints()) {
                        if (t.effect() != Taint.Effect.PREFER_NO_SCHEDULE && !Toleration.anyTolerates(pod.tolerations(), t)) {
                            return QueueingHint.SKIP;
                        }
                    }
                    return QueueingHint.QUEUE;
                }));
    }
}
