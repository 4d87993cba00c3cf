package io.kplane.check.trace;

import java.util.Map;

/**
 * Outcome of checking one trace.
 *
 * @param lines      lines checked (up to and including a violation)
 * @param runs       independent runs in the trace (simulation seeds; 1 for a cluster)
 * @param nodes      distinct nodes seen
 * @param leaders    elections won (distinct term/leader pairs)
 * @param maxCommit  highest commit index seen
 * @param events     count per event name
 * @param violation  the first violation, or null
 * @param tornLines  partial last lines skipped (writers killed mid-line)
 * @param seconds    elapsed time
 */
public record TraceResult(long lines, int runs, int nodes, long leaders, long maxCommit, Map<String, Long> events,
                          TraceViolation violation, long tornLines, double seconds) {

    public boolean ok() {
        return violation == null;
    }
}
