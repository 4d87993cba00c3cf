package io.kplane.scheduler.framework;

import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Snapshot;
import java.util.List;
import java.util.Set;

/**
 * A scheduler plugin and the extension points it may implement (upstream {@code framework}
 * interfaces). Each plugin gets a state slot index from the framework at construction.
 */
public interface Plugin {

    String name();

    /** Receives the plugin's {@link CycleState} slot. */
    default void setSlot(int slot) {}

    /** Events that may make pods this plugin rejected schedulable ({@code EnqueueExtensions}). */
    default List<EventRegistration> eventsToRegister() {
        return List.of();
    }

    /** Gate before a pod enters the active queue. */
    interface PreEnqueue extends Plugin {
        Status preEnqueue(PodInfo pod);
    }

    /** Result of PreFilter: a status and optionally the only node names worth evaluating. */
    record PreFilterResult(Status status, Set<String> nodeNames) {
        public static final PreFilterResult OK = new PreFilterResult(Status.SUCCESS, null);
        public static final PreFilterResult SKIP = new PreFilterResult(Status.SKIP, null);
    }

    /** Computes per-cycle state; may narrow the candidate nodes or reject the pod outright. */
    interface PreFilter extends Plugin {
        PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot);

        /** Incremental updates of this plugin's state when preemption adds/removes pods; null if none. */
        default Extensions extensions() {
            return null;
        }

        /** Upstream {@code PreFilterExtensions}. */
        interface Extensions {
            void addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

            void removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
        }
    }

    /** Per-node feasibility. */
    interface Filter extends Plugin {
        Status filter(CycleState state, PodInfo pod, NodeInfo node);

        /**
         * True when, in this cycle, {@link #filter} would accept every node of {@code snapshot} and
         * every what-if variant of them (pods added or removed), so the scheduler may leave it out
         * of a per-node loop without changing any result. Conservative: false unless known.
         */
        default boolean acceptsAllNodes(CycleState state, PodInfo pod, Snapshot snapshot) {
            return false;
        }
    }

    /**
     * Result of PostFilter (upstream {@code PostFilterResult} with its {@code NominatingInfo}):
     * {@code nominatedNode} null leaves the pod's nomination as it is (upstream's ModeNoop); a
     * name, or {@link #CLEARED} to remove a stale one, overrides it (ModeOverride).
     */
    record PostFilterResult(Status status, String nominatedNode) {
        /** The nominated node value that clears the pod's nomination. */
        public static final String CLEARED = "";

        /** A result that clears any nomination of the pod (no preemption candidate). */
        public static PostFilterResult cleared(Status status) {
            return new PostFilterResult(status, CLEARED);
        }

        /** True when this result overrides the pod's nomination (sets or clears it). */
        public boolean overridesNomination() {
            return nominatedNode != null;
        }
    }

    /** Runs when no node fits (preemption). */
    interface PostFilter extends Plugin {
        PostFilterResult postFilter(CycleState state, PodInfo pod, NodeStatuses statuses);
    }

    /** Computes per-cycle scoring state over the feasible nodes. */
    interface PreScore extends Plugin {
        Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible);
    }

    /** Scores a node in [0, 100] after normalization. */
    interface Score extends Plugin {
        long score(CycleState state, PodInfo pod, NodeInfo node);

        /** Normalizes {@code scores[0..n)} in place; default none. */
        default void normalize(CycleState state, PodInfo pod, long[] scores, int n) {}
    }

    /** Reserve/Unreserve: informational bookkeeping of the chosen node. */
    interface Reserve extends Plugin {
        Status reserve(CycleState state, PodInfo pod, String node);

        void unreserve(CycleState state, PodInfo pod, String node);
    }

    /** Permit: approve, reject or delay (WAIT with a timeout) the binding. */
    interface Permit extends Plugin {
        Status permit(CycleState state, PodInfo pod, String node);

        /** How long a WAIT may last, in nanoseconds. */
        default long waitTimeoutNanos() {
            return 0;
        }
    }

    /** Work before binding (e.g. volumes). */
    interface PreBind extends Plugin {
        Status preBind(CycleState state, PodInfo pod, String node);
    }

    /** Binds; SUCCESS when done, PENDING when the result arrives later, SKIP to let the next binder try. */
    interface Bind extends Plugin {
        Status bind(CycleState state, PodInfo pod, String node);
    }

    /** Runs after a successful binding. */
    interface PostBind extends Plugin {
        void postBind(CycleState state, PodInfo pod, String node);
    }
}
