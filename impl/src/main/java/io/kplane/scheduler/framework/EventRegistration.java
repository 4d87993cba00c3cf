package io.kplane.scheduler.framework;

import io.kplane.scheduler.PodInfo;

/**
 * A plugin's interest in an event, with an optional hint function that looks at the objects
 * involved ({@code oldObj}/{@code newObj} are {@code PodInfo} or {@code NodeInfo.NodeSpec}).
 */
public record EventRegistration(ClusterEvent event, HintFn hint) {

    /** Upstream {@code QueueingHintFn}. */
    @FunctionalInterface
    public interface HintFn {
        QueueingHint hint(PodInfo pod, Object oldObj, Object newObj);
    }

    public static EventRegistration of(ClusterEvent.Resource r, int actions) {
        return new EventRegistration(new ClusterEvent(r, actions), (p, o, n) -> QueueingHint.QUEUE);
    }

    public static EventRegistration of(ClusterEvent.Resource r, int actions, HintFn hint) {
        return new EventRegistration(new ClusterEvent(r, actions), hint);
    }
}
