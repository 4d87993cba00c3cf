package io.kplane.controller;

import io.kplane.model.Condition;
import io.kplane.model.Pod;
import java.time.Instant;

/** The questions controllers ask about a pod, answered as kubernetes/pkg/api/v1/pod answers them. */
final class PodState {
    private PodState() {
    }

    /** Not Succeeded or Failed, and not being deleted (ReplicaSet's notion of an active pod). */
    static boolean isActive(Pod p) {
        String phase = p.statusOrEmpty().phase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !isTerminating(p);
    }

    static boolean isTerminal(Pod p) {
        String phase = p.statusOrEmpty().phase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static boolean isTerminating(Pod p) {
        return p.metadata().deletionTimestamp() != null;
    }

    /** The Ready condition is True. */
    static boolean isReady(Pod p) {
        Condition c = Condition.find(p.statusOrEmpty().conditions(), "Ready");
        return c != null && c.statusTrue();
    }

    /** Ready for at least {@code minReadySeconds} at {@code now} (Ready's lastTransitionTime counts). */
    static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
        if (!isReady(p)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        Condition c = Condition.find(p.statusOrEmpty().conditions(), "Ready");
        Instant since = c.lastTransitionTime();
        return since != null && !since.plusSeconds(minReadySeconds).isAfter(now);
    }

    /** When a ready pod becomes available, or null if it already is or is not ready. */
    static Instant availableAt(Pod p, int minReadySeconds, Instant now) {
        if (!isReady(p) || minReadySeconds <= 0) {
            return null;
        }
        Condition c = Condition.find(p.statusOrEmpty().conditions(), "Ready");
        if (c.lastTransitionTime() == null) {
            return null;
        }
        Instant at = c.lastTransitionTime().plusSeconds(minReadySeconds);
        return at.isAfter(now) ? at : null;
    }

    static int restarts(Pod p) {
        int n = 0;
        for (var cs : p.statusOrEmpty().containerStatuses()) {
            n += cs.restartCount() == null ? 0 : cs.restartCount();
        }
        return n;
    }
}
