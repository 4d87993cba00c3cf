package io.kplane.check.election;

import io.kplane.election.ElectionTiming;
import io.kplane.election.LeaseElector;
import io.kplane.election.LeaseRecord;
import io.kplane.election.LeaseWrite;
import io.kplane.election.ObservedLease;

/**
 * Bounded liveness of Lease election, checked from one state: what happens once the faults stop.
 * The faults of {@link ElectionModel} are failed reads (an API server out of reach), writes held
 * in flight across ticks, late responses and clocks that run at uneven rates. From the state, on
 * private copies, the world runs without any of them: every read succeeds, a write reaches the
 * register at the instant it is handed out and its writer learns the outcome at once, and every
 * local clock advances by exactly one per tick (so the skew reached so far stays, and no more
 * accrues). Within one instant the candidates take turns, one step each per pass (read, write,
 * learn), so two candidates whose timers fire together still race for the same resourceVersion.
 *
 * <p>The property ({@code LeaderElectedAfterFaults}): by tick {@code electWithin} some candidate
 * both believes it leads and is the Lease's holder, and it goes on doing so without a break for
 * {@code stayFor} ticks from when it started. The first half is "a leader is elected once faults
 * stop"; the second catches an elector that takes the lease and lets it lapse while nothing fails.
 * The leader is looked at after each tick (before anyone acts) and after the instant settles, so a
 * belief that runs out and is taken back at once still breaks the run of ticks.
 * The leader at the moment the faults stop may still lose the lease: faults before that moment may
 * have let its renew deadline run so close that it passes before its next try — a standby then
 * takes over, within the bound.
 *
 * <p>If two candidates believe they lead at some point of the fault-free run, that is a safety
 * failure, not a liveness one: the run is a path of the model (reads that succeed, prompt writes
 * and responses, clocks that tick together), so the exhaustive search reaches the same state and
 * {@code AtMostOneLeader} reports it there, with its own trace (with the default unbounded time;
 * under a {@code maxTime} horizon the state may lie beyond it). The liveness check then says
 * nothing ({@link Outcome#holds()} is true, the explanation says why), so that each bug is
 * reported by the property it breaks.
 *
 * <p>The bound {@link #forTiming}: leaseDuration + retryPeriod ticks is the longest a standby waits
 * in client-go's scheme — a lease it saw renewed at its local time t is taken over at its first
 * try at or after t + leaseDuration, and tries come retryPeriod apart. In this model every
 * candidate comes back once the faults stop, so the old holder usually renews at its next try
 * (the worst case measured over the default search is one retryPeriod); the looser bound is the
 * one a user may rely on, and an elector that stops trying misses it by forever.
 *
 * <p>Deterministic: candidates act in index order.
 */
public final class LeaseAfterFaults {
    /** Steps one instant may take before the run is called a livelock (a failure). */
    private static final int MAX_STEPS_PER_INSTANT = 1_000;

    private final int electWithin;
    private final int stayFor;
    private final ElectionModel.StoreMutation store;

    /**
     * Ticks to elect a leader and ticks it must then keep leading; {@code store} is the register's
     * behaviour (a bug injected into it stays once the faults stop: it is not a fault).
     */
    public LeaseAfterFaults(int electWithin, int stayFor, ElectionModel.StoreMutation store) {
        if (electWithin < 0 || stayFor < 0) {
            throw new IllegalArgumentException("electWithin >= 0 and stayFor >= 0 ticks, got " + electWithin + ", " + stayFor);
        }
        this.electWithin = electWithin;
        this.stayFor = stayFor;
        this.store = store;
    }

    /**
     * The bound for a timing: elected within leaseDuration + retryPeriod ticks (a standby's
     * worst-case wait), and still leading one leaseDuration later (several renew rounds).
     */
    public static LeaseAfterFaults forTiming(ElectionTiming t, ElectionModel.StoreMutation store) {
        return new LeaseAfterFaults(Math.toIntExact(t.leaseDuration() + t.retryPeriod()), Math.toIntExact(t.leaseDuration()), store);
    }

    public int electWithin() {
        return electWithin;
    }

    public int stayFor() {
        return stayFor;
    }

    /**
     * What the fault-free run from a state did.
     *
     * @param holds       the property held
     * @param electedAt   ticks after the faults stopped at which the leader was first seen (0: at
     *                    once, -1: never)
     * @param leader      that leader's index (-1: none)
     * @param explanation why it failed, or a one-line account of success
     */
    public record Outcome(boolean holds, int electedAt, int leader, String explanation) {}

    /** Runs the fault-free schedule from {@code w}; {@code w} itself is not changed. */
    public Outcome run(ElectionWorld w) {
        Run r = new Run(w, store == ElectionModel.StoreMutation.SKIP_RESOURCE_VERSION_CHECK);
        try {
            int leader = -1;        // who holds and believes right now, -1: nobody
            int since = -1;         // the tick from which it has done so without a break
            String lapse = "";      // the last leader that lost the lease while nothing failed
            for (int t = 0; t <= electWithin + stayFor; t++) {
                if (t > 0) {
                    r.tick();
                    // A leader whose belief ran out as time passed has lapsed, even if it takes
                    // the lease back within the same instant: its leader-only work stopped.
                    if (leader >= 0 && r.leader() != leader) {
                        lapse = "; " + ElectionModel.id(leader) + " led from tick " + since + " and lost it at tick " + t;
                        leader = -1;
                        since = -1;
                    }
                }
                if (!r.settle()) {
                    return new Outcome(false, -1, -1, "more than " + MAX_STEPS_PER_INSTANT + " steps at one instant, "
                            + t + " ticks after the faults stopped (a livelock): " + r.describe());
                }
                if (r.twoBelievers) {
                    return new Outcome(true, -1, -1, "no liveness verdict: two candidates believed they led " + t
                            + " ticks after the faults stopped (AtMostOneLeader reports that): " + r.describe());
                }
                int now = r.leader();
                if (now != leader) {
                    if (leader >= 0) {
                        lapse = "; " + ElectionModel.id(leader) + " led from tick " + since + " and lost it at tick " + t;
                    }
                    leader = now;
                    since = now >= 0 ? t : -1;
                }
                if (leader >= 0 && t - since >= stayFor) {
                    return new Outcome(true, since, leader, ElectionModel.id(leader) + " leads from tick " + since
                            + " after the faults stopped and still leads " + stayFor + " ticks later");
                }
                if (t >= electWithin && (leader < 0 || since > electWithin)) {
                    // A leader that starts after the bound cannot count: the bound is already missed.
                    return new Outcome(false, -1, -1, "no candidate took the lease within " + electWithin
                            + " ticks after the faults stopped and kept it " + stayFor + " ticks" + lapse
                            + " (at tick " + t + ": " + r.describe() + ")");
                }
            }
            throw new IllegalStateException("unreachable: the loop decides by tick " + (electWithin + stayFor));
        } catch (RuntimeException e) {
            return new Outcome(false, -1, -1, "the elector threw after the faults stopped: " + e);
        }
    }

    /** The private copy of a world that the fault-free schedule runs on. */
    private static final class Run {
        private final LeaseElector[] electors;
        private final long[] clocks;
        private final ObservedLease[] pendingOutcome;   // learned at the writer's next step
        private final boolean[] outcomePending;
        private final boolean skipResourceVersionCheck;
        private LeaseRecord lease;
        private long rv;
        /** Two candidates believed they led at once, after some step of this run. */
        boolean twoBelievers;

        Run(ElectionWorld w, boolean skipResourceVersionCheck) {
            this.skipResourceVersionCheck = skipResourceVersionCheck;
            int n = w.size();
            electors = w.copyElectors();
            clocks = new long[n];
            pendingOutcome = new ObservedLease[n];
            outcomePending = new boolean[n];
            for (int i = 0; i < n; i++) {
                clocks[i] = w.clocks()[i];
                ElectionWorld.Response r = w.responses()[i];
                if (r != null) {
                    pendingOutcome[i] = r.stored();
                    outcomePending[i] = true;
                }
            }
            lease = w.lease();
            rv = w.rv();
        }

        /** Every clock moves on by one: the skew already reached stays, no more accrues. */
        void tick() {
            for (int i = 0; i < electors.length; i++) {
                clocks[i]++;
                electors[i].tick(clocks[i]);
            }
            noteBelievers();
        }

        private void noteBelievers() {
            int believers = 0;
            for (int i = 0; i < electors.length; i++) {
                if (electors[i].isLeader(clocks[i])) {
                    believers++;
                }
            }
            twoBelievers |= believers > 1;
        }

        /** Lets every candidate act at this instant until none has anything left to do; false on a livelock. */
        boolean settle() {
            noteBelievers();
            for (int steps = 0; ; ) {
                boolean acted = false;
                for (int i = 0; i < electors.length; i++) {
                    if (step(i)) {
                        acted = true;
                        noteBelievers();
                        if (++steps > MAX_STEPS_PER_INSTANT) {
                            return false;
                        }
                    }
                }
                if (!acted) {
                    return true;
                }
            }
        }

        /** Candidate i's one enabled step, if any: learn an outcome, send its write, or read. */
        private boolean step(int i) {
            LeaseElector e = electors[i];
            long clock = clocks[i];
            if (outcomePending[i]) {
                outcomePending[i] = false;
                ObservedLease outcome = pendingOutcome[i];
                pendingOutcome[i] = null;
                e.onWriteResult(outcome, clock);
                return true;
            }
            LeaseWrite write = e.outstandingWrite();
            if (write != null) {
                boolean applies = write.isCreate() ? lease == null
                        : lease != null && (skipResourceVersionCheck || write.expectedResourceVersion().equals(Long.toString(rv)));
                if (applies) {
                    lease = write.record();
                    rv++;
                    pendingOutcome[i] = new ObservedLease(lease, Long.toString(rv));
                }
                outcomePending[i] = true;
                return true;
            }
            if (e.readDue(clock)) {
                e.onRead(lease == null ? null : new ObservedLease(lease, Long.toString(rv)), clock);
                return true;
            }
            return false;
        }

        /** The candidate that holds the Lease and believes it leads, or -1. */
        int leader() {
            for (int i = 0; i < electors.length; i++) {
                if (lease != null && lease.held() && lease.holderIdentity().equals(electors[i].identity())
                        && electors[i].isLeader(clocks[i])) {
                    return i;
                }
            }
            return -1;
        }

        String describe() {
            StringBuilder b = new StringBuilder("lease ").append(lease == null ? "(none)" : "held by " + lease.holderIdentity() + ", rv " + rv);
            for (int i = 0; i < electors.length; i++) {
                b.append("; ").append(ElectionModel.id(i)).append(" at clock ").append(clocks[i]).append(' ').append(electors[i]);
            }
            return b.toString();
        }
    }
}
