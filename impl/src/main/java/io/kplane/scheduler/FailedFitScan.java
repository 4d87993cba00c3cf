package io.kplane.scheduler;

import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.scheduler.framework.Status;
import java.util.ArrayList;

/**
 * The statuses of the last resource-only filter scan in which no node fitted, for the next pod
 * with the same requests and priority (and no nomination of its own). On a full cluster each such
 * pod would fail on every node again; its verdicts can differ from the remembered ones only at
 * positions whose node changed (the snapshot's change log) or whose nominations changed (the
 * queue's nomination log), so only those are evaluated. If one of them fits now, the caller scans
 * all nodes as usual (a feasible node changes where the scan stops and which nodes it records).
 * When nothing fits, a full scan records every position and leaves the start index where it was,
 * so reusing it leaves the same statuses and the same start index.
 */
final class FailedFitScan {

    private Status[] statuses;
    private long snapshotEpoch;
    private int snapshotChanges;
    private long nominationLogEpoch;
    private int nominationLogPosition;
    private long milliCpu;
    private long memory;
    private long ephemeral;
    private int priority;
    private final ArrayList<Integer> changed = new ArrayList<>();
    private final ArrayList<Status> changedStatus = new ArrayList<>();

    void forget() {
        statuses = null;
    }

    /** Remembers a scan over all positions of the snapshot in which no node fitted. */
    void remember(Scheduler s, PodInfo pod, NodeStatuses result) {
        Status[] byPosition = result.byPosition();
        if (byPosition == null || byPosition.length != s.snapshot().size()) {
            statuses = null;
            return;
        }
        statuses = byPosition.clone();
        mark(s, pod);
    }

    private void mark(Scheduler s, PodInfo pod) {
        Snapshot snap = s.snapshot();
        SchedulingQueue queue = s.queue();
        snapshotEpoch = snap.epoch();
        snapshotChanges = snap.changeCount();
        nominationLogEpoch = queue.nominationLogEpoch();
        nominationLogPosition = queue.nominationLogSize();
        Resources r = pod.requests();
        milliCpu = r.milliCpu();
        memory = r.memory();
        ephemeral = r.ephemeralStorage();
        priority = pod.priority();
    }

    /**
     * Fills {@code result} from the remembered scan, brought up to date, and returns true; or
     * returns false (nothing filled) when the scan cannot be reused or a changed node fits now.
     */
    boolean reuse(Scheduler s, PodInfo pod, NodeStatuses result) {
        Snapshot snap = s.snapshot();
        SchedulingQueue queue = s.queue();
        Resources r = pod.requests();
        if (statuses == null || snap.epoch() != snapshotEpoch || queue.nominationLogEpoch() != nominationLogEpoch
                || statuses.length != snap.size() || r.milliCpu() != milliCpu || r.memory() != memory
                || r.ephemeralStorage() != ephemeral || pod.priority() != priority) {
            return false;
        }
        changed.clear();
        changedStatus.clear();
        int changes = snap.changeCount();
        for (int i = snapshotChanges; i < changes; i++) {
            if (!evaluate(s, pod, snap.indexOf(snap.change(i)))) {
                return false;
            }
        }
        int log = queue.nominationLogSize();
        for (int i = nominationLogPosition; i < log; i++) {
            if (!evaluate(s, pod, snap.indexOf(queue.nominationLogEntry(i)))) {
                return false;
            }
        }
        for (int i = 0; i < changed.size(); i++) {
            statuses[changed.get(i)] = changedStatus.get(i);
        }
        mark(s, pod);
        result.putAll(statuses);
        return true;
    }

    /** Evaluates one changed position; false when the pod fits there now. */
    private boolean evaluate(Scheduler s, PodInfo pod, int position) {
        if (position < 0) {
            return true;
        }
        Status st = s.fitStatus(pod, position, -1);
        if (st.isSuccess()) {
            return false;
        }
        changed.add(position);
        changedStatus.add(st);
        return true;
    }
}
