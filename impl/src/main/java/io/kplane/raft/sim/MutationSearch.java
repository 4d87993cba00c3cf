package io.kplane.raft.sim;

/**
 * The simulation settings used to hunt for injected bugs: three nodes, long runs (bugs need several leader
 * changes with diverging logs), PreVote/CheckQuorum chosen by the seed, all faults on.
 */
public final class MutationSearch {
    private MutationSearch() {
    }

    public static SimulationConfig config(long seed, Mutation mutation) {
        return new SimulationConfig(seed, 3, 3000, null, null, 0.1, 0.05, true, true, true, mutation, null, null);
    }
}
