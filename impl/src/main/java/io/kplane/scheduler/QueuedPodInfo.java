package io.kplane.scheduler;

import java.util.HashSet;
import java.util.Set;

/**
 * A pod in the scheduling queue with its queueing history: attempts, timestamps, and the plugins
 * that rejected it in its last attempt (used to decide which cluster events may help it).
 */
public final class QueuedPodInfo {

    /** Where the pod currently is. */
    public enum Location { ACTIVE, BACKOFF, UNSCHEDULABLE, GATED, IN_FLIGHT }

    PodInfo pod;
    long timestamp;
    long initialAttemptTimestamp = -1;
    long backoffExpiry;
    int attempts;
    Location location;
    final Set<String> unschedulablePlugins = new HashSet<>();
    String gatingPlugin;

    QueuedPodInfo(PodInfo pod, long now) {
        this.pod = pod;
        this.timestamp = now;
    }

    public PodInfo pod() { return pod; }
    public int attempts() { return attempts; }
    public long timestamp() { return timestamp; }
    public long initialAttemptTimestamp() { return initialAttemptTimestamp; }
    public Location location() { return location; }
    public Set<String> unschedulablePlugins() { return unschedulablePlugins; }

    @Override
    public String toString() {
        return pod + " " + location + " attempts=" + attempts;
    }
}
