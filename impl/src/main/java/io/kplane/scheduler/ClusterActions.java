package io.kplane.scheduler;

/**
 * Writes the scheduler makes besides bindings, applied asynchronously by the runtime: preemption
 * victims to delete, and the nominated node recorded in a pod's status. Their effects come back
 * as ordinary pod events.
 */
public interface ClusterActions {

    /**
     * Delete a preemption victim (the API server sets its deletion timestamp, then removes it).
     * As upstream, the runtime first adds the condition {@code DisruptionTarget=True} with reason
     * {@code PreemptionByScheduler} to its status: only pods terminating with it hold a preemptor
     * back from preempting again ({@link PodInfo#terminatingByPreemption}).
     */
    void deletePod(PodInfo victim);

    /** Record {@code status.nominatedNodeName} (null clears it). */
    void setNominatedNode(PodInfo pod, String nodeName);

    /** Actions that do nothing (for tests that don't care). */
    ClusterActions NONE = new ClusterActions() {
        @Override
        public void deletePod(PodInfo victim) {}

        @Override
        public void setNominatedNode(PodInfo pod, String nodeName) {}
    };
}
