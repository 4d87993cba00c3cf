package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/**
 * A pod that names a node in its spec fits only that node. Pods the scheduler receives normally
 * have no node name; one that has it (and still reaches the queue) is held to it.
 */
public final class NodeName implements Plugin.Filter {
    public static final String NAME = "NodeName";
    private static final Status REJECT = Status.unresolvable(NAME, "node(s) didn't match the requested node name");

    @Override
    public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        String wanted = pod.nodeName();
        return wanted == null || wanted.equals(node.name()) ? Status.SUCCESS : REJECT;
    }

    @Override
    public boolean acceptsAllNodes(CycleState state, PodInfo pod, Snapshot snapshot) {
        return pod.nodeName() == null;
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD));
    }
}
