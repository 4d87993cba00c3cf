package io.kplane.kubelet;

import io.kplane.model.Probe;

/**
 * The result of one probe of one container, as the kubelet's prober worker keeps it: a probe's
 * outcome changes the reported result only after {@code failureThreshold} consecutive failures or
 * {@code successThreshold} consecutive successes. Pure: the caller says when a probe ran and how it
 * went; {@link #dueAtNs} says when the next one is due.
 *
 * <p>Initial results follow the kubelet: readiness starts as failure (a container is not ready
 * until a probe says so), liveness as success, startup as failure until it first succeeds.
 */
final class ProbeTracker {
    /** Which probe this is; it decides the initial result and what a failure means. */
    enum Kind { READINESS, LIVENESS, STARTUP }

    private final Kind kind;
    private final ProbeSpec spec;
    private boolean success;
    private boolean lastOutcome;
    private int run;
    private long dueAtNs;
    private boolean inFlight;

    ProbeTracker(Kind kind, Probe probe, long containerStartedNs) {
        this.kind = kind;
        this.spec = ProbeSpec.of(probe);
        this.success = kind == Kind.LIVENESS;
        this.dueAtNs = containerStartedNs + spec.initialDelayNs();
    }

    Kind kind() {
        return kind;
    }

    ProbeSpec spec() {
        return spec;
    }

    /** The reported result: true = Success. */
    boolean success() {
        return success;
    }

    long dueAtNs() {
        return dueAtNs;
    }

    boolean due(long nowNs) {
        return !inFlight && nowNs - dueAtNs >= 0;
    }

    /** A probe has been started; none is due again until its outcome is recorded. */
    void dispatched() {
        inFlight = true;
    }

    /**
     * Records one probe's outcome at {@code nowNs}; returns true when the reported result changed.
     * The next probe is due one period later.
     */
    boolean record(boolean outcome, long nowNs) {
        inFlight = false;
        dueAtNs = nowNs + spec.periodNs();
        run = outcome == lastOutcome && run > 0 ? run + 1 : 1;
        lastOutcome = outcome;
        int threshold = outcome ? spec.successThreshold() : spec.failureThreshold();
        if (run < threshold || outcome == success) {
            return false;
        }
        success = outcome;
        if (!outcome && kind != Kind.READINESS) {
            // the container is about to be killed; count afresh for its next incarnation
            run = 0;
        }
        return true;
    }
}
