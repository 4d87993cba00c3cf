package io.kplane.check.election;

import io.kplane.election.LeaseElector;
import io.kplane.election.LeaseRecord;

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
 */
public record ElectionWorld(int now, int[] clocks, LeaseRecord lease, long rv, LeaseElector[] electors) {

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
