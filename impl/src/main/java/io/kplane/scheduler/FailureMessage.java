package io.kplane.scheduler;

import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message kube-scheduler writes into a pod's {@code PodScheduled=False} condition and its
 * FailedScheduling event: {@code "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had
 * untolerated taint {...}."} — the rejected nodes counted per reason, reasons in sorted order.
 */
final class FailureMessage {
    private FailureMessage() {
    }

    static String of(Snapshot snapshot, NodeStatuses statuses, List<NodeInfo> feasible) {
        int nodes = snapshot.size();
        if (nodes == 0) {
            return "no nodes available to schedule pods";
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < nodes; i++) {
            Status s = statuses.at(i);
            if (s != null && s.isRejected()) {
                counts.merge(s.reason(), 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder().append(feasible.size()).append('/').append(nodes).append(" nodes are available");
        if (!counts.isEmpty()) {
            b.append(": ");
            boolean first = true;
            for (var e : counts.entrySet()) {
                b.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
                first = false;
            }
        }
        return b.append('.').toString();
    }
}
