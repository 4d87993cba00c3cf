package io.kplane.scheduler.plugins;

import io.kplane.scheduler.Labels;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.Taint;
import io.kplane.scheduler.Toleration;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.QueueingHint;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/** Rejects nodes with {@code spec.unschedulable} unless the pod tolerates the unschedulable taint. */
public final class NodeUnschedulable implements Plugin.Filter {
    public static final String NAME = "NodeUnschedulable";
    private static final Taint UNSCHEDULABLE = new Taint(Labels.TAINT_UNSCHEDULABLE, "", Taint.Effect.NO_SCHEDULE);
    private static final Status REJECT = Status.unresolvable(NAME, "node(s) were unschedulable");

    @Override
    public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!node.node().unschedulable()) {
            return Status.SUCCESS;
        }
        return Toleration.anyTolerates(pod.tolerations(), UNSCHEDULABLE) ? Status.SUCCESS : REJECT;
    }

    @Override
    public boolean acceptsAllNodes(CycleState state, PodInfo pod, Snapshot snapshot) {
        return snapshot.unschedulableNodeCount() == 0;
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.NODE,
                ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_SCHEDULABLE | ClusterEvent.UPDATE_NODE_TAINT,
                (pod, oldObj, newObj) -> newObj instanceof NodeInfo.NodeSpec n && !n.unschedulable()
                        ? QueueingHint.QUEUE : QueueingHint.SKIP));
    }
}
