package io.kplane.check.election;

import io.kplane.check.Fingerprint;
import io.kplane.check.Invariant;
import io.kplane.check.Model;
import io.kplane.election.ElectionTiming;
import io.kplane.election.LeaseElector;
import io.kplane.election.LeaseRecord;
import io.kplane.election.LeaseWrite;
import io.kplane.election.ObservedLease;
import java.util.List;

/**
 * The Lease election world of {@code tla/LeaseElection.tla}, over the real
 * {@link LeaseElector}.
 *
 * <p>Actions: {@code Tick} (real time +1; each local clock moves by 0, 1 or 2 ticks while staying
 * within {@code maxSkew} of real time), a candidate's {@code Get} (when its retry timer fired: the
 * elector reads the register and decides whether to write) and its {@code Update} (the decided
 * write reaches the register, which applies it only if the resourceVersion is unchanged; a
 * create only if the Lease does not exist). Gets and updates may be delayed across ticks: that is
 * how the search covers slow requests and paused processes.
 *
 * <p>With {@code maxLatency} &gt; 0 a write's outcome reaches its writer in a later step
 * ({@code Response}), up to {@code maxLatency} ticks after the register applied it; the elector
 * counts its renew deadline from the moment it learns (as client-go does).
 *
 * <p>Invariant {@code AtMostOneLeader}: at most one candidate believes it leads at any instant.
 * It holds when retryPeriod + renewDeadline + 4 &times; maxSkew + maxLatency &lt; leaseDuration;
 * beyond that the search shows the counterexample. Bounded liveness
 * {@code LeaderElectedAfterFaults}: from every reached state, once the faults stop, a candidate
 * holds the lease within leaseDuration + retryPeriod ticks and keeps it ({@link LeaseAfterFaults}).
 */
public final class ElectionModel implements Model<ElectionWorld> {

    /** Deliberate bugs in the world's API server, for mutation tests. */
    public enum StoreMutation { NONE, SKIP_RESOURCE_VERSION_CHECK }

    /** The constants of one election model. */
    public record Config(int candidates, ElectionTiming timing, int maxSkew, int maxTime,
                         ElectorMutation electorMutation, StoreMutation storeMutation, int maxLatency) {
        public Config {
            if (candidates < 1 || candidates > 4) {
                throw new IllegalArgumentException("candidates must be 1..4, got " + candidates);
            }
            if (maxSkew < 0 || maxTime < 1 || maxLatency < 0) {
                throw new IllegalArgumentException("maxSkew >= 0, maxLatency >= 0 and maxTime >= 1 required");
            }
        }

        public Config(int candidates, ElectionTiming timing, int maxSkew, int maxTime, ElectorMutation electorMutation,
                      StoreMutation storeMutation) {
            this(candidates, timing, maxSkew, maxTime, electorMutation, storeMutation, 0);
        }

        /** Defaults of {@code ./kplane check election} (and of MCLeaseElection.cfg). */
        public static Config defaults() {
            return new Config(2, new ElectionTiming(8, 2, 1), 1, Integer.MAX_VALUE, ElectorMutation.NONE, StoreMutation.NONE);
        }

        /** Responses reach their writer up to {@code ticks} after the register applied the write. */
        public Config withMaxLatency(int ticks) {
            return new Config(candidates, timing, maxSkew, maxTime, electorMutation, storeMutation, ticks);
        }

        public Config withCandidates(int n) {
            return new Config(n, timing, maxSkew, maxTime, electorMutation, storeMutation, maxLatency);
        }

        public Config withSkew(int s) {
            return new Config(candidates, timing, s, maxTime, electorMutation, storeMutation, maxLatency);
        }

        public Config withMaxTime(int t) {
            return new Config(candidates, timing, maxSkew, t, electorMutation, storeMutation, maxLatency);
        }

        public Config with(ElectorMutation m) {
            return new Config(candidates, timing, maxSkew, maxTime, m, storeMutation, maxLatency);
        }

        public Config with(StoreMutation m) {
            return new Config(candidates, timing, maxSkew, maxTime, electorMutation, m, maxLatency);
        }

        /** The drift and latency bound of LeaseElection.tla under which AtMostOneLeader must hold. */
        public boolean safeTiming() {
            return timing.retryPeriod() + timing.renewDeadline() + 4L * maxSkew + maxLatency < timing.leaseDuration();
        }
    }

    public static final String AT_MOST_ONE_LEADER = "AtMostOneLeader";

    /**
     * Bounded liveness, checked in every state: once the faults stop, some candidate holds the
     * lease and believes it leads within leaseDuration + retryPeriod ticks, and keeps doing so
     * (see {@link LeaseAfterFaults}).
     */
    public static final String LEADER_ELECTED_AFTER_FAULTS = "LeaderElectedAfterFaults";

    private final Config config;
    private final LeaseAfterFaults afterFaults;

    public ElectionModel(Config config) {
        this.config = config;
        this.afterFaults = LeaseAfterFaults.forTiming(config.timing(), config.storeMutation());
    }

    /** The liveness check this model applies to every state. */
    public LeaseAfterFaults afterFaults() {
        return afterFaults;
    }

    @Override
    public String name() {
        return "election";
    }

    @Override
    public String describeBounds() {
        ElectionTiming t = config.timing();
        return config.candidates() + " candidates, leaseDuration=" + t.leaseDuration() + " renewDeadline="
                + t.renewDeadline() + " retryPeriod=" + t.retryPeriod() + " ticks, maxSkew=" + config.maxSkew()
                + (config.maxLatency() > 0 ? ", maxLatency=" + config.maxLatency() : "")
                + " (" + (config.safeTiming() ? "within" : "BEYOND") + " the safe bound), time "
                + (config.maxTime() == Integer.MAX_VALUE ? "unbounded (times abstracted relative to now)"
                        : "horizon " + config.maxTime() + " ticks")
                + ", liveness: a leader within " + afterFaults.electWithin() + " ticks after the faults stop, leading "
                + afterFaults.stayFor() + " more"
                + (config.electorMutation() != ElectorMutation.NONE ? ", MUTATION " + config.electorMutation() : "")
                + (config.storeMutation() != StoreMutation.NONE ? ", MUTATION " + config.storeMutation() : "");
    }

    static String id(int i) {
        return String.valueOf((char) ('a' + i));
    }

    @Override
    public List<ElectionWorld> initialStates() {
        int n = config.candidates();
        LeaseElector[] e = new LeaseElector[n];
        for (int i = 0; i < n; i++) {
            e[i] = new LeaseElector(id(i), config.timing(), 0, config.electorMutation().rules());
        }
        return List.of(new ElectionWorld(0, new int[n], null, 0, e));
    }

    @Override
    public void successors(ElectionWorld w, Successors<ElectionWorld> out) {
        int n = w.size();
        // Candidates' requests.
        for (int i = 0; i < n; i++) {
            LeaseElector el = w.electors()[i];
            int clock = w.clocks()[i];
            if (el.readDue(clock) && w.responses()[i] == null) {
                LeaseElector[] failed = w.copyElectors();
                failed[i].onReadFailed(clock);
                out.add(id(i) + ": Get fails (API server unreachable)",
                        new ElectionWorld(w.now(), w.clocks(), w.lease(), w.rv(), failed, w.responses()));
                LeaseElector[] es = w.copyElectors();
                ObservedLease read = w.lease() == null ? null : new ObservedLease(w.lease(), Long.toString(w.rv()));
                LeaseWrite write = es[i].onRead(read, clock);
                String what = w.lease() == null ? "no lease" : "holder " + holder(w.lease()) + " rv " + w.rv();
                out.add(id(i) + ": Get (" + what + ") -> " + (write == null ? "wait" : "will write"),
                        new ElectionWorld(w.now(), w.clocks(), w.lease(), w.rv(), es, w.responses()));
            }
            ElectionWorld.Response response = w.responses()[i];
            if (response != null) {
                LeaseElector[] es = w.copyElectors();
                es[i].onWriteResult(response.stored(), clock);
                ElectionWorld.Response[] rs = w.responses().clone();
                rs[i] = null;
                out.add(id(i) + ": learns " + (response.stored() == null ? "conflict" : "ok, rv " + response.stored().resourceVersion())
                        + " (applied at " + response.appliedAt() + ")", new ElectionWorld(w.now(), w.clocks(), w.lease(), w.rv(), es, rs));
            }
            LeaseWrite pending = el.outstandingWrite();
            if (pending != null && response == null) {
                LeaseElector[] es = w.copyElectors();
                boolean ok;
                if (pending.isCreate()) {
                    ok = w.lease() == null;
                } else {
                    ok = w.lease() != null && (config.storeMutation() == StoreMutation.SKIP_RESOURCE_VERSION_CHECK
                            || pending.expectedResourceVersion().equals(Long.toString(w.rv())));
                }
                LeaseRecord lease = ok ? pending.record() : w.lease();
                long rv = ok ? w.rv() + 1 : w.rv();
                ObservedLease stored = ok ? new ObservedLease(lease, Long.toString(rv)) : null;
                ElectionWorld.Response[] rs = w.responses();
                if (config.maxLatency() == 0) {
                    es[i].onWriteResult(stored, clock); // the writer learns at once
                } else {
                    rs = rs.clone();
                    rs[i] = new ElectionWorld.Response(stored, w.now());
                }
                out.add(id(i) + ": " + (pending.isCreate() ? "Create" : "Update(rv " + pending.expectedResourceVersion() + ")")
                        + " -> " + (ok ? "ok, rv " + rv : "conflict"),
                        new ElectionWorld(w.now(), w.clocks(), lease, rv, es, rs));
            }
        }
        // Time passes: every combination of clock advances that stays within the skew bound.
        // Reads are prompt (time does not pass while one is due; a slow or lost read is the
        // "Get fails" action); writes may stay in flight across ticks.
        boolean readDue = false;
        boolean responseDue = false;
        for (int i = 0; i < n; i++) {
            ElectionWorld.Response r = w.responses()[i];
            readDue |= r == null && w.electors()[i].readDue(w.clocks()[i]);
            responseDue |= r != null && w.now() + 1 - r.appliedAt() > config.maxLatency();
        }
        if (w.now() < config.maxTime() && !readDue && !responseDue) {
            int next = w.now() + 1;
            int combos = 1;
            for (int i = 0; i < n; i++) {
                combos *= 3;
            }
            for (int c = 0; c < combos; c++) {
                int[] clocks = new int[n];
                int code = c;
                boolean ok = true;
                StringBuilder label = new StringBuilder("Tick: now=").append(next).append(", clocks");
                for (int i = 0; i < n; i++) {
                    int d = (code % 3 + 1) % 3;   // try +1 first, then +2, then +0
                    code /= 3;
                    clocks[i] = w.clocks()[i] + d;
                    if (Math.abs(clocks[i] - next) > config.maxSkew()) {
                        ok = false;
                    }
                    label.append(' ').append(id(i)).append('=').append(clocks[i]);
                }
                if (!ok) {
                    continue;
                }
                LeaseElector[] es = w.copyElectors();
                for (int i = 0; i < n; i++) {
                    es[i].tick(clocks[i]);
                }
                out.add(label.toString(), new ElectionWorld(next, clocks, w.lease(), w.rv(), es, w.responses()));
            }
        }
    }

    /** As the default ("a: Get (…)" is Get, "Tick: now=…" is Tick), but a failed Get counts apart from a Get. */
    @Override
    public String actionKind(String action) {
        String kind = Model.super.actionKind(action);
        return kind.equals("Get") && action.contains(": Get fails") ? "Get fails" : kind;
    }

    private static String holder(LeaseRecord r) {
        return r.held() ? r.holderIdentity() : "none";
    }

    @Override
    public long fingerprint(ElectionWorld w) {
        // Abstract state (see LeaseElector.abstractFingerprint): clock offsets from real time,
        // the Lease's holder, and each elector relative to its own clock and the current Lease.
        // Time is unbounded, yet the abstract space is finite, so the search is exhaustive.
        Fingerprint f = new Fingerprint().add(w.lease() == null ? "-" : w.lease().holderIdentity());
        if (config.maxTime() != Integer.MAX_VALUE) {
            f.add(w.now());
        }
        String rv = Long.toString(w.rv());
        for (int i = 0; i < w.size(); i++) {
            f.add(w.clocks()[i] - w.now())
                    .add(w.electors()[i].abstractFingerprint(w.clocks()[i], w.lease(), rv));
            ElectionWorld.Response r = w.responses()[i];
            if (r == null) {
                f.add("-");
            } else {
                // what learning it will do (a conflict, or the record it stored, still current or
                // already replaced) and how long it has been on its way
                f.add(r.stored() == null ? "conflict" : r.stored().record().equals(w.lease())
                        && r.stored().resourceVersion().equals(rv) ? "current" : "replaced").add(w.now() - r.appliedAt());
            }
        }
        return f.get();
    }

    @Override
    public boolean withinBounds(ElectionWorld w) {
        return true;   // the time horizon is enforced by disabling Tick at maxTime
    }

    @Override
    public List<Invariant<ElectionWorld>> invariants() {
        return List.of(new Invariant<>(AT_MOST_ONE_LEADER, w -> w.believers() <= 1),
                new Invariant<>(LEADER_ELECTED_AFTER_FAULTS, w -> afterFaults.run(w).holds()));
    }

    @Override
    public String describe(ElectionWorld w) {
        StringBuilder b = new StringBuilder();
        LeaseAfterFaults.Outcome after = afterFaults.run(w);
        if (!after.holds()) {
            b.append("AFTER THE FAULTS STOP: ").append(after.explanation()).append('\n');
        }
        b.append("now=").append(w.now()).append("  lease=")
                .append(w.lease() == null ? "(none)" : "holder " + holder(w.lease()) + ", rv " + w.rv()
                        + ", transitions " + w.lease().leaseTransitions() + ", renewTime " + w.lease().renewTime());
        for (int i = 0; i < w.size(); i++) {
            LeaseElector e = w.electors()[i];
            b.append('\n').append("  ").append(id(i)).append(": clock=").append(w.clocks()[i])
                    .append(e.isLeader(w.clocks()[i]) ? "  BELIEVES IT LEADS  " : "  ").append(e);
        }
        return b.toString();
    }
}
