package io.kplane.check.election;

import io.kplane.election.LeaseElector;
import io.kplane.election.LeaseRecord;
import io.kplane.election.ObservedLease;

/**
 * One state of the election world: real time, each candidate's drifting local clock, the Lease
 * register (record + resourceVersion) and each candidate's {@link LeaseElector}. Treated as
 * immutable by the explorer; successors are built from copies.
 *
 * @param now     real time, in ticks
 * @param clocks  clocks[i]: candidate i's local clock
 * @param lease   the stored record, or null while the Lease does not exist
 * @param rv      the Lease's resourceVersion (0 while it does not exist)
 * @param electors the candidates' state machines
 * @param responses responses[i]: the outcome of candidate i's applied write that it has not learned
 *                  yet (only with response latency), or null
 */
public record ElectionWorld(int now, int[] clocks, LeaseRecord lease, long rv, LeaseElector[] electors,
                            Response[] responses) {

    /**
     * A write's outcome on its way back to its writer.
     *
     * @param stored    the Lease as stored, or null: the write failed (a conflict)
     * @param appliedAt the real time at which the register applied (or refused) it
     */
    public record Response(ObservedLease stored, int appliedAt) {}

    public ElectionWorld(int now, int[] clocks, LeaseRecord lease, long rv, LeaseElector[] electors) {
        this(now, clocks, lease, rv, electors, new Response[electors.length]);
    }

    public int size() {
        return electors.length;
    }

    /** Number of candidates that believe they lead right now, each judged by its own clock. */
    public int believers() {
        int n = 0;
        for (int i = 0; i < electors.length; i++) {
            if (electors[i].isLeader(clocks[i])) {
                n++;
            }
        }
        return n;
    }

    LeaseElector[] copyElectors() {
        LeaseElector[] c = new LeaseElector[electors.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = electors[i].copy();
        }
        return c;
    }
}
