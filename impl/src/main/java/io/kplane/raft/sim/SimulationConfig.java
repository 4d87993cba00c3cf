package io.kplane.raft.sim;

import io.kplane.raft.RaftTracer;

/**
 * Parameters of one seeded simulation run.
 *
 * @param seed          everything random in the run derives from it
 * @param nodes         cluster size (3 or 5 typical)
 * @param steps         number of actions
 * @param preVote       null = chosen by the seed
 * @param checkQuorum   null = chosen by the seed
 * @param dropRate      probability that a delivered message is lost instead
 * @param duplicateRate probability that a delivered message is also kept for a second delivery
 * @param crashes       allow crash/restart (unpersisted state lost)
 * @param partitions    allow network partitions
 * @param compaction    take snapshots and compact logs now and then
 * @param mutation      <b>test only</b>: injected bug
 * @param listener      receives every event, or null
 * @param tracer        receives every node's spec-level steps ({@link RaftTracer}) and the network's drops and
 *                      duplicates, or null
 */
public record SimulationConfig(long seed, int nodes, int steps, Boolean preVote, Boolean checkQuorum,
                               double dropRate, double duplicateRate, boolean crashes, boolean partitions,
                               boolean compaction, Mutation mutation, SimulationListener listener,
                               RaftTracer tracer) {

    public SimulationConfig {
        if (nodes < 1) throw new IllegalArgumentException("nodes must be >= 1");
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0");
        if (mutation == null) mutation = Mutation.NONE;
    }

    /** All faults on: 5% drop, 5% duplication, reordering, crashes, partitions, compaction. */
    public static SimulationConfig defaults(long seed, int nodes, int steps) {
        return new SimulationConfig(seed, nodes, steps, null, null, 0.05, 0.05, true, true, true, Mutation.NONE, null, null);
    }

    public SimulationConfig withMutation(Mutation m) {
        return new SimulationConfig(seed, nodes, steps, preVote, checkQuorum, dropRate, duplicateRate, crashes,
                partitions, compaction, m, listener, tracer);
    }

    public SimulationConfig withListener(SimulationListener l) {
        return new SimulationConfig(seed, nodes, steps, preVote, checkQuorum, dropRate, duplicateRate, crashes,
                partitions, compaction, mutation, l, tracer);
    }

    public SimulationConfig withSeed(long s) {
        return new SimulationConfig(s, nodes, steps, preVote, checkQuorum, dropRate, duplicateRate, crashes,
                partitions, compaction, mutation, listener, tracer);
    }

    public SimulationConfig withTracer(RaftTracer t) {
        return new SimulationConfig(seed, nodes, steps, preVote, checkQuorum, dropRate, duplicateRate, crashes,
                partitions, compaction, mutation, listener, t);
    }
}
