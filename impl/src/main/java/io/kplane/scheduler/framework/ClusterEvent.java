package io.kplane.scheduler.framework;

/**
 * A cluster event that may make unschedulable pods schedulable: a resource kind and an action
 * bitmask (upstream {@code framework.ClusterEvent}).
 */
public record ClusterEvent(Resource resource, int actions) {

    /** Resource kinds. ASSIGNED_POD is a pod bound to a node; POD an unscheduled one. */
    public enum Resource { POD, ASSIGNED_POD, NODE, NAMESPACE, PDB, SERVICE, WILDCARD }

    public static final int ADD = 1;
    public static final int DELETE = 1 << 1;
    public static final int UPDATE_NODE_LABEL = 1 << 2;
    public static final int UPDATE_NODE_TAINT = 1 << 3;
    public static final int UPDATE_NODE_ALLOCATABLE = 1 << 4;
    public static final int UPDATE_NODE_SCHEDULABLE = 1 << 5;
    public static final int UPDATE_POD_LABEL = 1 << 6;
    public static final int UPDATE_POD_SCALE_DOWN = 1 << 7;
    public static final int UPDATE_OTHER = 1 << 8;
    public static final int UPDATE = UPDATE_NODE_LABEL | UPDATE_NODE_TAINT | UPDATE_NODE_ALLOCATABLE
            | UPDATE_NODE_SCHEDULABLE | UPDATE_POD_LABEL | UPDATE_POD_SCALE_DOWN | UPDATE_OTHER;
    public static final int ALL = ADD | DELETE | UPDATE;

    /** Events that move every unschedulable pod regardless of plugins (e.g. the periodic flush). */
    public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(Resource.WILDCARD, ALL);

    /** Does a registration (this) cover an actual event? */
    public boolean covers(ClusterEvent actual) {
        if (resource == Resource.WILDCARD) {
            return true;
        }
        return resource == actual.resource && (actions & actual.actions) != 0;
    }
}
