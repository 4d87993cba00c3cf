/**
 * Seeded simulation of a Raft cluster under faults, checking the five Raft safety properties after every step.
 * Entry points: {@link io.kplane.raft.sim.Simulation#run(SimulationConfig)} with
 * {@link io.kplane.raft.sim.SimulationConfig#defaults(long, int, int)}; {@link io.kplane.raft.sim.SimulationListener}
 * receives every {@link io.kplane.raft.sim.SimulationEvent} (for trace export); a failed run carries its first
 * {@link io.kplane.raft.sim.Violation}. {@link io.kplane.raft.sim.Mutation} is the catalogue of known bugs, each
 * a broken {@link io.kplane.raft.RaftRules} that nodes are built with (the model checker in {@code tla/} uses it
 * too); {@link io.kplane.raft.sim.MutationSearch#config} is the setting used to show that they are found.
 */
package io.kplane.raft.sim;
