package io.kplane.raft.sim;

/** A safety property that failed at a step of a simulation run. */
public record Violation(SafetyProperty property, long step, String detail) {
    @Override
    public String toString() {
        return property.displayName() + " violated at step " + step + ": " + detail;
    }
}
