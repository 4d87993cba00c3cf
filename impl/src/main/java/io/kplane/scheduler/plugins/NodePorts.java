package io.kplane.scheduler.plugins;

import io.kplane.scheduler.HostPort;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/** Rejects nodes where a requested host port (protocol, IP, port) is already in use. */
public final class NodePorts implements Plugin.PreFilter, Plugin.Filter {
    public static final String NAME = "NodePorts";
    private static final Status REJECT = Status.unschedulable(NAME, "node(s) didn't have free ports for the requested pod ports");

    @Override
    public String name() { return NAME; }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        return pod.hostPorts().isEmpty() ? PreFilterResult.SKIP : PreFilterResult.OK;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<HostPort> used = node.usedPorts();
        for (HostPort want : pod.hostPorts()) {
            for (int i = 0; i < used.size(); i++) {
                if (want.conflicts(used.get(i))) {
                    return REJECT;
                }
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.DELETE),
                EventRegistration.of(ClusterEvent.Resource.NODE, ClusterEvent.ADD));
    }
}
