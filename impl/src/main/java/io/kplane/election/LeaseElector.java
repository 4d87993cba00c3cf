package io.kplane.election;

import java.util.Objects;

/**
 * Kubernetes Lease leader election as client-go's {@code leaderelection} package does it, as a
 * deterministic state machine: no threads, no clock, no I/O. A thin shell reads and writes the
 * Lease and passes in the local time; the model checker drives the very same object.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>When {@link #readDue(long)} the shell GETs the Lease and calls {@link #onRead}. The elector
 *       notes whether the record changed since it last looked; if it did, it remembers the LOCAL
 *       time it saw the change ({@code observedTime}). It never compares its clock with the
 *       times written in the record by another process.</li>
 *   <li>A lease held by someone else is valid while {@code observedTime + leaseDuration > now}
 *       (the record's leaseDuration). While valid, the elector waits {@code retryPeriod} and looks
 *       again. Otherwise {@link #onRead} returns a {@link LeaseWrite}: the record with itself as
 *       holder, conditioned on the resourceVersion just read (optimistic concurrency).</li>
 *   <li>The shell performs the write and reports with {@link #onWriteResult}. Success makes the
 *       elector leader; a conflict (someone wrote first) or error does not.</li>
 *   <li>A leader renews the same way every {@code retryPeriod}. Each renew round starts
 *       {@code retryPeriod} after the last success and gives up {@code renewDeadline} later: from
 *       that moment the elector no longer believes it leads ({@link #isLeader(long)} is false) and
 *       goes back to following.</li>
 * </ol>
 *
 * <p>Safety rests on timing: with clocks that drift within a bound, the leader's belief ends
 * (after at most retryPeriod + renewDeadline on its clock) before any other candidate's
 * leaseDuration (on its clock) has passed. {@code tla/LeaseElection.tla} states the bound and
 * {@code io.kplane.check} explores this class under drifting clocks. Belief is not a lock: see the
 * fencing caveat there.
 *
 * <p>Differences from client-go, on purpose: no jitter on the retry period (the shell may add it
 * by choosing when to call); no optimistic fast path without a read; after losing leadership the
 * elector keeps campaigning instead of exiting (the shell decides whether to exit).
 */
public final class LeaseElector {

    /** What an elector is doing. */
    public enum Phase { FOLLOWER, LEADING }

    /** A change of leadership reported to the shell, to start or stop its leader-only work. */
    public enum LeadershipChange { NONE, STARTED_LEADING, STOPPED_LEADING }

    /** {@link #nextTryAt()} of an elector that will never try again (only under rules that give up). */
    public static final long NEVER = Long.MAX_VALUE;

    private final String identity;
    private final ElectionTiming timing;
    /** When belief ends; {@link ElectorRules#CLIENT_GO} except in the model checker's mutation tests. */
    private final ElectorRules rules;

    private Phase phase = Phase.FOLLOWER;
    private LeaseRecord observedRecord;       // null: never seen one
    private String observedResourceVersion;   // of observedRecord
    private long observedTime;                // local time observedRecord last changed
    private long nextTryAt;                   // local time of the next read
    private long leadingDeadline;             // local time belief ends, while LEADING
    private LeaseWrite outstandingWrite;      // handed to the shell, result not yet reported

    /** An elector that campaigns from local time {@code now}. */
    public LeaseElector(String identity, ElectionTiming timing, long now) {
        this(identity, timing, now, ElectorRules.CLIENT_GO);
    }

    /** As above, applying {@code rules}: the seam through which the model checker injects known bugs. */
    public LeaseElector(String identity, ElectionTiming timing, long now, ElectorRules rules) {
        if (identity == null || identity.isEmpty()) {
            throw new IllegalArgumentException("identity must not be empty");
        }
        this.identity = identity;
        this.timing = Objects.requireNonNull(timing, "timing");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.nextTryAt = now;
    }

    private LeaseElector(LeaseElector o) {
        identity = o.identity;
        timing = o.timing;
        rules = o.rules;
        phase = o.phase;
        observedRecord = o.observedRecord;
        observedResourceVersion = o.observedResourceVersion;
        observedTime = o.observedTime;
        nextTryAt = o.nextTryAt;
        leadingDeadline = o.leadingDeadline;
        outstandingWrite = o.outstandingWrite;
    }

    /** An independent copy (records are immutable, so this is cheap). */
    public LeaseElector copy() {
        return new LeaseElector(this);
    }

    public String identity() {
        return identity;
    }

    public Phase phase() {
        return phase;
    }

    /** Local time at which the elector next wants to read the Lease ({@link #NEVER}: it stopped trying). */
    public long nextTryAt() {
        return nextTryAt;
    }

    /** The write handed out by {@link #onRead} whose result is not yet reported, or null. */
    public LeaseWrite outstandingWrite() {
        return outstandingWrite;
    }

    /** True if the shell should read the Lease now: the retry timer fired and no write is outstanding. */
    public boolean readDue(long now) {
        return outstandingWrite == null && now >= nextTryAt;
    }

    /**
     * True if this elector believes it leads at local time {@code now}: it is leading and its
     * renew deadline has not passed.
     */
    public boolean isLeader(long now) {
        return phase == Phase.LEADING && rules.believesLeading(now, leadingDeadline);
    }

    /** Lets time pass: a leader whose renew deadline passed stops leading. */
    public LeadershipChange tick(long now) {
        if (phase == Phase.LEADING && !isLeader(now)) {
            phase = Phase.FOLLOWER;
            return LeadershipChange.STOPPED_LEADING;
        }
        return LeadershipChange.NONE;
    }

    /**
     * The Lease as just read ({@code null}: it does not exist). Returns the write to attempt, or
     * {@code null} to wait for the next {@link #nextTryAt()}.
     */
    public LeaseWrite onRead(ObservedLease lease, long now) {
        if (outstandingWrite != null) {
            throw new IllegalStateException("a write is outstanding; report its result first");
        }
        tick(now);
        if (lease == null) {
            return handOut(new LeaseWrite(new LeaseRecord(identity, timing.leaseDuration(), now, now, 0), null));
        }
        LeaseRecord current = lease.record();
        if (!current.equals(observedRecord)) {
            observedRecord = current;
            observedTime = now;
        }
        observedResourceVersion = lease.resourceVersion();
        boolean heldByOther = current.held() && !current.holderIdentity().equals(identity);
        if (heldByOther && observedTime + current.leaseDuration() > now) {
            if (phase == Phase.LEADING && rules.stepsDownWhenAnotherHolds()) {
                phase = Phase.FOLLOWER;
            }
            nextTryAt = now + timing.retryPeriod();
            return null;
        }
        boolean mine = current.holderIdentity().equals(identity);
        if (mine && isLeader(now) && !rules.leaderRenewsOnRead()) {
            nextTryAt = now + timing.retryPeriod();
            return null;
        }
        LeaseRecord next = new LeaseRecord(identity, timing.leaseDuration(),
                mine ? current.acquireTime() : now, now,
                mine ? current.leaseTransitions() : current.leaseTransitions() + 1);
        return handOut(new LeaseWrite(next, lease.resourceVersion()));
    }

    /** The read failed (API server unreachable, timeout): try again after retryPeriod. */
    public LeadershipChange onReadFailed(long now) {
        if (outstandingWrite != null) {
            throw new IllegalStateException("a write is outstanding; report its result first");
        }
        nextTryAt = afterFailedTry(now);
        return tick(now);
    }

    /** When to try again after a failed read or a conflicting write: one retryPeriod later ({@link #NEVER} if the rules give up). */
    private long afterFailedTry(long now) {
        return rules.retriesAfterFailedTry() ? now + timing.retryPeriod() : NEVER;
    }

    private LeaseWrite handOut(LeaseWrite write) {
        outstandingWrite = write;
        return write;
    }

    /**
     * The outcome of the outstanding write: the Lease as stored ({@code null}: the write failed,
     * e.g. a resourceVersion conflict or an already-exists on create).
     */
    public LeadershipChange onWriteResult(ObservedLease stored, long now) {
        if (outstandingWrite == null) {
            throw new IllegalStateException("no write is outstanding");
        }
        outstandingWrite = null;
        nextTryAt = now + timing.retryPeriod();
        LeadershipChange before = tick(now);
        if (stored == null) {
            nextTryAt = afterFailedTry(now);
            return before;
        }
        if (!stored.record().holderIdentity().equals(identity)) {
            throw new IllegalArgumentException("stored lease is held by " + stored.record().holderIdentity());
        }
        observedRecord = stored.record();
        observedResourceVersion = stored.resourceVersion();
        observedTime = now;
        // The next renew round starts retryPeriod from now and gives up renewDeadline later.
        leadingDeadline = now + timing.retryPeriod() + timing.renewDeadline();
        if (phase == Phase.LEADING) {
            return LeadershipChange.NONE;
        }
        phase = Phase.LEADING;
        return LeadershipChange.STARTED_LEADING;
    }

    /** A 64-bit hash of the whole state, for the model checker's visited set. */
    public long fingerprint() {
        long h = mix(0x51ED27C1L, identity.hashCode());
        h = mix(h, phase.ordinal());
        h = mix(h, recordHash(observedRecord));
        h = mix(h, observedResourceVersion == null ? -1 : observedResourceVersion.hashCode());
        h = mix(h, observedTime);
        h = mix(h, nextTryAt);
        h = mix(h, phase == Phase.LEADING ? leadingDeadline : 0);
        h = mix(h, outstandingWrite == null ? -1 : recordHash(outstandingWrite.record()));
        h = mix(h, outstandingWrite == null || outstandingWrite.isCreate()
                ? -1 : outstandingWrite.expectedResourceVersion().hashCode());
        return h;
    }

    /**
     * A 64-bit hash of this elector's state up to what can influence its future, for the model
     * checker's symmetry-free state abstraction:
     * <ul>
     *   <li>times only relative to the local clock {@code now} (behaviour depends only on
     *       differences), clamped where a larger difference can no longer matter: a retry timer
     *       already due, a renew deadline already passed, an observation older than the lease;</li>
     *   <li>the observed record and the outstanding write only by whether they match the Lease
     *       currently stored ({@code current}, {@code currentResourceVersion}): the elector only
     *       ever compares records for equality and names resourceVersions back to the server.</li>
     * </ul>
     * Two electors with equal abstract fingerprints behave the same from here on, which lets the
     * search treat unbounded time as a finite state space.
     */
    public long abstractFingerprint(long now, LeaseRecord current, String currentResourceVersion) {
        boolean seesCurrent = current != null && current.equals(observedRecord);
        long h = mix(0x3C6EF372L, identity.hashCode());
        h = mix(h, phase.ordinal());
        h = mix(h, seesCurrent ? 1 : 0);
        if (seesCurrent) {
            // Only the current record's observation time matters: a stale one is reset on the next read.
            h = mix(h, Math.max(observedTime - now, -current.leaseDuration()));
        }
        h = mix(h, nextTryAt == NEVER ? -1 : Math.max(nextTryAt - now, 0));
        if (phase == Phase.LEADING) {
            h = mix(h, Math.max(leadingDeadline - now, 0));
        }
        if (outstandingWrite == null) {
            h = mix(h, -1);
        } else if (outstandingWrite.isCreate()) {
            h = mix(h, -2);
        } else {
            h = mix(h, outstandingWrite.expectedResourceVersion().equals(currentResourceVersion) ? -3 : -4);
        }
        return h;
    }

    /** A 64-bit hash of a record, field by field (a record's hashCode is only 32 bits). */
    public static long recordHash(LeaseRecord r) {
        if (r == null) {
            return 0x7F4A7C15L;
        }
        long h = mix(0x2545F491L, r.holderIdentity().hashCode());
        h = mix(h, r.leaseDuration());
        h = mix(h, r.acquireTime());
        h = mix(h, r.renewTime());
        return mix(h, r.leaseTransitions());
    }

    private static long mix(long h, long v) {
        long x = (h + v + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    @Override
    public String toString() {
        return identity + "{" + phase
                + (phase == Phase.LEADING ? " until " + leadingDeadline : "")
                + ", observed " + (observedRecord == null ? "-" : observedRecord.holderIdentity() + "@rv"
                        + observedResourceVersion + " since " + observedTime)
                + ", next try " + (nextTryAt == NEVER ? "never" : Long.toString(nextTryAt))
                + (outstandingWrite == null ? "" : outstandingWrite.isCreate() ? ", creating"
                        : ", writing rv" + outstandingWrite.expectedResourceVersion())
                + "}";
    }
}
