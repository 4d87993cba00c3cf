package io.kplane.scheduler;

import java.util.Set;

/**
 * What preemption needs from a PodDisruptionBudget: its namespace, selector, how many more
 * disruptions it currently allows, and the names of pods whose eviction the API server has
 * already processed ({@code status.disruptedPods}; they no longer use up the budget).
 */
public record Disruption(String namespace, Selector selector, int disruptionsAllowed, Set<String> disruptedPods) {

    public Disruption {
        disruptedPods = Set.copyOf(disruptedPods);
    }

    public Disruption(String namespace, Selector selector, int disruptionsAllowed) {
        this(namespace, selector, disruptionsAllowed, Set.of());
    }

    /**
     * Whether evicting this pod uses up the budget (upstream {@code filterPodsWithPDBViolation}):
     * same namespace, a non-empty selector matching the pod's labels (a pod without labels matches
     * no budget), and the pod not already listed in {@code disruptedPods}.
     */
    public boolean counts(PodInfo pod) {
        return !pod.labels().isEmpty() && pod.namespace().equals(namespace) && !selector.isEverything()
                && selector.matches(pod.labels()) && !disruptedPods.contains(pod.name());
    }
}
