package io.kplane.scheduler.plugins;

import io.kplane.scheduler.Binder;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;

/** Hands the binding to the {@link Binder}; the result arrives later, hence PENDING. */
public final class DefaultBinder implements Plugin.Bind {
    public static final String NAME = "DefaultBinder";
    private final Binder binder;

    public DefaultBinder(Binder binder) {
        this.binder = binder;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public Status bind(CycleState state, PodInfo pod, String node) {
        binder.bind(pod, node);
        return Status.PENDING;
    }
}
