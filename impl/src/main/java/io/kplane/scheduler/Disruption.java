package io.kplane.scheduler;

/**
 * What preemption needs from a PodDisruptionBudget: its namespace, selector and how many more
 * disruptions it currently allows.
 */
public record Disruption(String namespace, Selector selector, int disruptionsAllowed) {
    public boolean covers(PodInfo pod) {
        return pod.namespace().equals(namespace) && selector.matches(pod.labels());
    }
}
