package io.kplane.kubelet;

import io.kplane.model.Container;
import io.kplane.model.ContainerState;
import io.kplane.model.ContainerStateRunning;
import io.kplane.model.ContainerStateTerminated;
import io.kplane.model.ContainerStateWaiting;
import io.kplane.model.ContainerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated container, as kubemark's hollow kubelet runs them: it starts at once, never exits
 * on its own, and dies only when a liveness or startup probe fails (or its pod is deleted). Probes,
 * restarts and CrashLoopBackOff follow the kubelet. Pure and single-threaded: the kubelet's sync
 * thread owns it and passes the time in.
 */
final class HollowContainer {
    private enum Phase { WAITING, RUNNING, TERMINATED }

    private final Container spec;
    private final String podUid;
    private final RestartBackoff backoff;
    private Phase phase = Phase.WAITING;
    private String waitingReason = "ContainerCreating";
    private long restartAtNs;
    private long startedNs;
    private Instant startedAt;
    private int restartCount;
    private ContainerStateTerminated lastTermination;
    private ContainerStateTerminated termination;
    private ProbeTracker startup;
    private ProbeTracker readiness;
    private ProbeTracker liveness;

    HollowContainer(Container spec, String podUid, long nowNs, RestartBackoff backoff) {
        this.spec = spec;
        this.podUid = podUid;
        this.backoff = backoff;
        this.restartAtNs = nowNs;
    }

    String name() {
        return spec.name();
    }

    Container spec() {
        return spec;
    }

    int restartCount() {
        return restartCount;
    }

    boolean running() {
        return phase == Phase.RUNNING;
    }

    boolean terminated() {
        return phase == Phase.TERMINATED;
    }

    /** Startup probe passed (or there is none): liveness and readiness probes may run. */
    boolean started() {
        return phase == Phase.RUNNING && (startup == null || startup.success());
    }

    boolean ready() {
        return started() && (readiness == null || readiness.success());
    }

    /** Starts the container if it is waiting and its back-off has passed; returns true if it did. */
    private boolean startIfDue(long nowNs, Instant now) {
        if (phase != Phase.WAITING || nowNs - restartAtNs < 0) {
            return false;
        }
        phase = Phase.RUNNING;
        startedNs = nowNs;
        startedAt = now;
        startup = spec.startupProbe() == null ? null : new ProbeTracker(ProbeTracker.Kind.STARTUP, spec.startupProbe(), nowNs);
        readiness = spec.readinessProbe() == null ? null : new ProbeTracker(ProbeTracker.Kind.READINESS, spec.readinessProbe(), nowNs);
        liveness = spec.livenessProbe() == null ? null : new ProbeTracker(ProbeTracker.Kind.LIVENESS, spec.livenessProbe(), nowNs);
        return true;
    }

    /** The probes that are due now, in the kubelet's order: until startup succeeds, only startup runs. */
    List<ProbeTracker> dueProbes(long nowNs) {
        List<ProbeTracker> due = new ArrayList<>(3);
        if (phase != Phase.RUNNING) {
            return due;
        }
        if (startup != null && !startup.success()) {
            if (startup.due(nowNs)) {
                due.add(startup);
            }
            return due;
        }
        if (liveness != null && liveness.due(nowNs)) {
            due.add(liveness);
        }
        if (readiness != null && readiness.due(nowNs)) {
            due.add(readiness);
        }
        return due;
    }

    /** True if {@code tracker} belongs to the current incarnation (results of killed ones are dropped). */
    boolean owns(ProbeTracker tracker) {
        return tracker == startup || tracker == readiness || tracker == liveness;
    }

    /**
     * Records a probe's outcome. A liveness or startup probe that turns to failure kills the
     * container; it is restarted after the back-off unless the pod's restart policy says never.
     * Returns true when the container's status changed.
     */
    boolean onProbe(ProbeTracker tracker, boolean outcome, long nowNs, Instant now, String restartPolicy) {
        if (!owns(tracker) || phase != Phase.RUNNING) {
            return false;
        }
        if (!tracker.record(outcome, nowNs)) {
            return false;
        }
        if (tracker.success() || tracker.kind() == ProbeTracker.Kind.READINESS) {
            return true;
        }
        String probeName = tracker.kind() == ProbeTracker.Kind.LIVENESS ? "liveness" : "startup";
        kill(137, "Error", "Container " + spec.name() + " failed " + probeName + " probe, will be restarted", nowNs, now);
        if ("Never".equals(restartPolicy)) {
            phase = Phase.TERMINATED;
            termination = lastTermination;
            lastTermination = null;
        } else {
            phase = Phase.WAITING;
            waitingReason = "CrashLoopBackOff";
            restartAtNs = backoff.restartAt(startedNs, nowNs);
            if (startIfDue(nowNs, now)) {
                restartCount++;
            }
        }
        return true;
    }

    /** Starts a container that is waiting out its back-off, counting the restart. */
    boolean restartIfDue(long nowNs, Instant now) {
        boolean wasRestart = phase == Phase.WAITING && "CrashLoopBackOff".equals(waitingReason);
        if (!startIfDue(nowNs, now)) {
            return false;
        }
        if (wasRestart) {
            restartCount++;
        }
        return true;
    }

    /** Stops the container for good (pod deletion): it exits cleanly on SIGTERM. */
    void stop(long nowNs, Instant now) {
        if (phase == Phase.RUNNING) {
            kill(0, "Completed", null, nowNs, now);
            termination = lastTermination;
            lastTermination = null;
        }
        phase = Phase.TERMINATED;
    }

    private void kill(int exitCode, String reason, String message, long nowNs, Instant now) {
        lastTermination = new ContainerStateTerminated(exitCode, null, reason, message, startedAt, now, containerId(), null);
        startup = readiness = liveness = null;
    }

    private String containerId() {
        return "hollow://" + podUid + "/" + spec.name() + "/" + restartCount;
    }

    ContainerStatus status() {
        ContainerState state = switch (phase) {
            case RUNNING -> new ContainerState(null, new ContainerStateRunning(startedAt, null), null, null);
            case WAITING -> new ContainerState(new ContainerStateWaiting(waitingReason,
                    "CrashLoopBackOff".equals(waitingReason) ? "back-off restarting failed container " + spec.name() : null, null),
                    null, null, null);
            case TERMINATED -> new ContainerState(null, null, termination, null);
        };
        ContainerState last = lastTermination == null ? null : new ContainerState(null, null, lastTermination, null);
        String image = spec.image() == null ? "" : spec.image();
        return new ContainerStatus(spec.name(), state, last, ready(), restartCount, image, "hollow-image://" + image,
                phase == Phase.RUNNING ? containerId() : null, started(), null);
    }
}
