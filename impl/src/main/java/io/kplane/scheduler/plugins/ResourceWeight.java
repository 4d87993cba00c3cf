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

    private static final int CPU = 0;
    private static final int MEMORY = 1;
    private static final int EPHEMERAL = 2;
    private static final int SCALAR = 3;

    private int kind() {
        // String switch hashes the name; callers on the hot path use the precomputed kind instead.
        return switch (name) {
            case "cpu" -> CPU;
            case "memory" -> MEMORY;
            case "ephemeral-storage" -> EPHEMERAL;
            default -> SCALAR;
        };
    }

    /** A resource with its kind resolved once, for the scoring hot path. */
    public record Resolved(ResourceWeight resource, int kind) {
        public long allocatable(NodeInfo node) {
            return switch (kind) {
                case CPU -> node.allocatable().milliCpu();
                case MEMORY -> node.allocatable().memory();
                case EPHEMERAL -> node.allocatable().ephemeralStorage();
                default -> node.allocatable().scalar(resource.name());
            };
        }

        public long requested(NodeInfo node, PodInfo pod, boolean nonZero) {
            return switch (kind) {
                case CPU -> nonZero ? node.nonZeroMilliCpu() + pod.nonZeroMilliCpu()
                        : node.requestedMilliCpu() + pod.requests().milliCpu();
                case MEMORY -> nonZero ? node.nonZeroMemory() + pod.nonZeroMemory()
                        : node.requestedMemory() + pod.requests().memory();
                case EPHEMERAL -> node.requestedEphemeral() + pod.requests().ephemeralStorage();
                default -> node.requestedScalar(resource.name()) + pod.requests().scalar(resource.name());
            };
        }

        public long podRequest(PodInfo pod) {
            return switch (kind) {
                case CPU -> pod.requests().milliCpu();
                case MEMORY -> pod.requests().memory();
                case EPHEMERAL -> pod.requests().ephemeralStorage();
                default -> pod.requests().scalar(resource.name());
            };
        }

        public boolean isScalar() {
            return kind == SCALAR;
        }

        public long weight() {
            return resource.weight();
        }
    }

    public Resolved resolve() {
        return new Resolved(this, kind());
    }

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
