package io.kplane.raft.sim;

/** Receives every {@link SimulationEvent} of a run, in order (e.g. to export an NDJSON trace). */
@FunctionalInterface
public interface SimulationListener {
    void onEvent(SimulationEvent event);
}
