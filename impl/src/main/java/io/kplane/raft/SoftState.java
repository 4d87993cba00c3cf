package io.kplane.raft;

/** Volatile state that need not be persisted: who the leader is and our role. */
public record SoftState(long leader, StateType role) {
}
