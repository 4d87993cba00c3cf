package io.kplane.raft.sim;

import io.kplane.raft.StateType;

/**
 * One step of a simulation: node {@code node} did {@code action} (tick, receive, ready, propose, crash,
 * restart, partition, ...) with {@code detail}, leaving it in the given state. {@code node} is 0 for
 * cluster-wide actions (partition, heal).
 */
public record SimulationEvent(long step, long node, String action, String detail, long term, StateType role,
                              long leader, long commit, long lastIndex) {
}
