package io.kplane.scheduler.plugins;

import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import java.util.List;

/** Keeps pods with {@code schedulingGates} out of the active queue until the gates are removed. */
public final class SchedulingGates implements Plugin.PreEnqueue {
    public static final String NAME = "SchedulingGates";

    @Override
    public String name() { return NAME; }

    @Override
    public Status preEnqueue(PodInfo pod) {
        if (pod.schedulingGates().isEmpty()) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(NAME, "waiting for scheduling gates: " + pod.schedulingGates());
    }

    @Override
    public List<EventRegistration> eventsToRegister() {
        return List.of(EventRegistration.of(ClusterEvent.Resource.POD, ClusterEvent.UPDATE_OTHER));
    }
}
