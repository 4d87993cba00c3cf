package io.kplane.scheduler.framework;

import io.kplane.scheduler.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Why each evaluated node was rejected in a cycle (upstream {@code NodeToStatusMap}). Nodes not
 * listed were either not evaluated or, when {@code absentStatus} is set, share it (PreFilter
 * rejections). Statuses of snapshot nodes are kept by snapshot position, so a cycle in which all
 * 5000 nodes fail records 5000 array stores rather than 5000 hash-map insertions.
 */
public final class NodeStatuses {

    private final Snapshot snapshot;
    private final Status[] byIndex;
    private final Map<String, Status> byName = new HashMap<>();
    private Status absentStatus;
    private int unresolvableByIndex;

    public NodeStatuses() {
        this(null);
    }

    public NodeStatuses(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.byIndex = snapshot == null ? null : new Status[snapshot.size()];
    }

    public void put(String node, Status status) {
        byName.put(node, status);
    }

    /** Records the status of the snapshot's node at {@code index}. */
    public void put(int index, Status status) {
        Status old = byIndex[index];
        if (old != null && old.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
            unresolvableByIndex--;
        }
        if (status != null && status.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
            unresolvableByIndex++;
        }
        byIndex[index] = status;
    }

    /** The statuses by position (for a later cycle to start from; see {@link #putAll}). */
    public Status[] byPosition() {
        return byIndex;
    }

    /** Sets the statuses of all positions at once, from an array of the snapshot's size. */
    public void putAll(Status[] statuses) {
        int unresolvable = 0;
        for (int i = 0; i < statuses.length; i++) {
            Status s = statuses[i];
            byIndex[i] = s;
            if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                unresolvable++;
            }
        }
        unresolvableByIndex = unresolvable;
    }

    /**
     * How many snapshot nodes do not have an UnschedulableAndUnresolvable status (those preemption
     * may try), or -1 when that takes a pass over {@link #at} (statuses by name or an absent status,
     * or {@code nodes} is not the snapshot size these statuses were made for).
     */
    public int resolvableCountOrMinusOne(int nodes) {
        if (byIndex == null || byIndex.length != nodes || !byName.isEmpty() || absentStatus != null) {
            return -1;
        }
        return byIndex.length - unresolvableByIndex;
    }

    /** Status for nodes not evaluated at all (e.g. excluded by a PreFilter result). */
    public void setAbsentStatus(Status status) {
        absentStatus = status;
    }

    public Status get(String node) {
        Status s = byName.get(node);
        if (s == null && byIndex != null) {
            int i = snapshot.indexOf(node);
            if (i >= 0) {
                s = byIndex[i];
            }
        }
        return s != null ? s : absentStatus;
    }

    /** Status of the snapshot's node at {@code index}. */
    public Status at(int index) {
        Status s = byIndex == null ? null : byIndex[index];
        if (s == null && !byName.isEmpty()) {
            s = byName.get(snapshot.nodes().get(index).name());
        }
        return s != null ? s : absentStatus;
    }

    /** The plugins that rejected some node. */
    public Set<String> rejectors() {
        Set<String> out = new HashSet<>();
        for (Status s : byName.values()) {
            out.add(s.plugin());
        }
        if (byIndex != null) {
            String last = null;
            for (Status s : byIndex) {
                if (s != null && s.plugin() != last) {
                    last = s.plugin();
                    out.add(last);
                }
            }
        }
        return out;
    }

    public int size() {
        int n = byName.size();
        if (byIndex != null) {
            for (Status s : byIndex) {
                if (s != null) {
                    n++;
                }
            }
        }
        return n;
    }
}
