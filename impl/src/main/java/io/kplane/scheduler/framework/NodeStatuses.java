package io.kplane.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * Why each evaluated node was rejected in a cycle (upstream {@code NodeToStatusMap}). Nodes not
 * listed were either not evaluated or, when {@code absentStatus} is set, share it (PreFilter
 * rejections).
 */
public final class NodeStatuses {

    private final Map<String, Status> byNode = new HashMap<>();
    private Status absentStatus;

    public void put(String node, Status status) {
        byNode.put(node, status);
    }

    /** Status for nodes not evaluated at all (e.g. excluded by a PreFilter result). */
    public void setAbsentStatus(Status status) {
        absentStatus = status;
    }

    public Status get(String node) {
        Status s = byNode.get(node);
        return s != null ? s : absentStatus;
    }

    public int size() {
        return byNode.size();
    }

    public Map<String, Status> asMap() {
        return byNode;
    }
}
