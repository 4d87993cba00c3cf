package io.kplane.scheduler;

import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.scheduler.framework.Plugin;
import java.util.List;
import java.util.Map;

/**
 * Looks inside scheduling cycles: the filter verdicts, the scores and the PostFilter outcome of
 * each attempt ({@code kplane scheduler simulate} prints them). Called on the scheduler thread;
 * the default does nothing and costs nothing on the hot path.
 */
public interface CycleTrace {

    /** After Filter: {@code statuses} holds the rejections; the nodes in {@code feasible} passed. */
    default void filtered(PodInfo pod, NodeStatuses statuses, List<NodeInfo> feasible) {}

    /**
     * After Score (two or more feasible nodes): per plugin that scored, the normalized scores in
     * the order of {@code feasible}, its weight, and the weighted totals.
     */
    default void scored(PodInfo pod, List<NodeInfo> feasible, Map<String, long[]> normalized, Map<String, Long> weights,
            long[] totals) {}

    /** After PostFilter ran for a pod no node fitted. */
    default void postFiltered(PodInfo pod, Plugin.PostFilterResult result) {}

    CycleTrace NONE = new CycleTrace() {};
}
