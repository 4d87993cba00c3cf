package io.kplane.scheduler.plugins;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import java.util.List;

/**
 * A resource considered by resource scoring, with its weight, and how to read its requested and
 * allocatable amounts. {@code nonZero} selects upstream's non-zero requests (100m CPU / 200 MB for
 * containers without requests), which NodeResourcesFit scoring uses and BalancedAllocation doesn't.
 */
public record ResourceWeight(String name, long weight) {

    public static final List<ResourceWeight> DEFAULT = List.of(new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1));

    public long allocatable(NodeInfo node) {
        return switch (name) {
            case "cpu" -> node.allocatable().milliCpu();
            case "memory" -> node.allocatable().memory();
            case "ephemeral-storage" -> node.allocatable().ephemeralStorage();
            default -> node.allocatable().scalar(name);
        };
    }

    /** Node's requested amount plus the pod's. */
    public long requested(NodeInfo node, PodInfo pod, boolean nonZero) {
        return switch (name) {
            case "cpu" -> nonZero ? node.nonZeroMilliCpu() + pod.nonZeroMilliCpu()
                    : node.requestedMilliCpu() + pod.requests().milliCpu();
            case "memory" -> nonZero ? node.nonZeroMemory() + pod.nonZeroMemory()
                    : node.requestedMemory() + pod.requests().memory();
            case "ephemeral-storage" -> node.requestedEphemeral() + pod.requests().ephemeralStorage();
            default -> node.requestedScalar(name) + pod.requests().scalar(name);
        };
    }

    /** The pod's own request of this resource. */
    public long podRequest(PodInfo pod) {
        return switch (name) {
            case "cpu" -> pod.requests().milliCpu();
            case "memory" -> pod.requests().memory();
            case "ephemeral-storage" -> pod.requests().ephemeralStorage();
            default -> pod.requests().scalar(name);
        };
    }

    boolean isScalar() {
        return !name.equals("cpu") && !name.equals("memory") && !name.equals("ephemeral-storage");
    }
}
