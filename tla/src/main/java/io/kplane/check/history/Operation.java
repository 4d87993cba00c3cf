package io.kplane.check.history;

import java.util.Objects;

/**
 * One client operation on one key of a register with compare-and-set, as a history records it:
 * when it was invoked, when (and whether) it completed, and what it returned.
 *
 * <p>{@link Outcome#OK}: the operation took effect once, between invocation and completion, with
 * the recorded result. {@link Outcome#FAIL}: it certainly did not take effect (the checkers drop it).
 * {@link Outcome#INFO}: unknown (a timeout, a lost connection): it may have taken effect at any
 * time after its invocation, or never; its result is unknown, so its completion is "never".
 *
 * @param process       the client that ran it (a client runs one operation at a time)
 * @param kind          read, write or compare-and-set
 * @param key           the register
 * @param value         READ: the value read ({@code null} = key absent); WRITE/CAS: the value written
 * @param expected      CAS only: the value compared against ({@code null} = key absent)
 * @param succeeded     CAS only: whether the comparison held (and the write happened)
 * @param revision      the store revision of an acknowledged write (0 if none or unknown)
 * @param invokeNanos   monotonic time of the invocation
 * @param completeNanos monotonic time of the completion ({@link Long#MAX_VALUE} for INFO)
 * @param error         for FAIL and INFO: what the client was told (for the report; never checked)
 */
public record Operation(int process, Kind kind, String key, String value, String expected, boolean succeeded,
                        Outcome outcome, long revision, long invokeNanos, long completeNanos, String error) {

    /** What the client asked for. */
    public enum Kind { READ, WRITE, CAS }

    /** What the client learned. */
    public enum Outcome { OK, FAIL, INFO }

    public Operation {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(key);
        Objects.requireNonNull(outcome);
        if (outcome == Outcome.INFO) {
            completeNanos = Long.MAX_VALUE;
        }
        if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("completed before invoked: " + invokeNanos + " > " + completeNanos);
        }
    }

    public static Operation read(int process, String key, String value, Outcome outcome, long invoke, long complete) {
        return new Operation(process, Kind.READ, key, value, null, false, outcome, 0, invoke, complete, null);
    }

    public static Operation write(int process, String key, String value, Outcome outcome, long revision, long invoke, long complete) {
        return new Operation(process, Kind.WRITE, key, value, null, false, outcome, revision, invoke, complete, null);
    }

    public static Operation cas(int process, String key, String expected, String value, boolean succeeded, Outcome outcome,
                                long revision, long invoke, long complete) {
        return new Operation(process, Kind.CAS, key, value, expected, succeeded, outcome, revision, invoke, complete, null);
    }

    /** This operation with what the client was told when it failed. */
    public Operation withError(String message) {
        return new Operation(process, kind, key, value, expected, succeeded, outcome, revision, invokeNanos, completeNanos, message);
    }

    /** Whether this operation writes {@link #value()} if it takes effect (a write, or a CAS not known to have failed). */
    public boolean mayWrite() {
        return kind == Kind.WRITE || (kind == Kind.CAS && (outcome == Outcome.INFO || succeeded));
    }

    /** Whether the client was told that this operation wrote {@link #value()}. */
    public boolean acknowledgedWrite() {
        return outcome == Outcome.OK && (kind == Kind.WRITE || (kind == Kind.CAS && succeeded));
    }

    @Override
    public String toString() {
        String when = "[" + invokeNanos + ", " + (completeNanos == Long.MAX_VALUE ? "?" : String.valueOf(completeNanos)) + "]";
        String what = switch (kind) {
            case READ -> "read " + key + " -> " + (outcome == Outcome.OK ? show(value) : outcome.name().toLowerCase());
            case WRITE -> "write " + key + " := " + show(value) + " -> " + outcome.name().toLowerCase();
            case CAS -> "cas " + key + " " + show(expected) + " -> " + show(value) + " -> "
                    + (outcome == Outcome.OK ? (succeeded ? "ok" : "compare failed") : outcome.name().toLowerCase());
        };
        return "p" + process + " " + what + (revision > 0 ? " @rev " + revision : "") + " " + when;
    }

    private static String show(String v) {
        return v == null ? "<absent>" : v;
    }
}
