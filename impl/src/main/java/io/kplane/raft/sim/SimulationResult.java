package io.kplane.raft.sim;

/**
 * Outcome of one run: the first violation (null if every property held after every step) and counters that
 * show the run did something (leaders elected, entries committed, faults injected).
 */
public record SimulationResult(long seed, long steps, Violation violation, long maxTerm, long leadersElected,
                               long maxCommitted, long entriesApplied, long delivered, long dropped,
                               long duplicated, long crashes, long snapshotsSent, long proposalsDropped,
                               long confChangesProposed) {
    public boolean ok() {
        return violation == null;
    }
}
