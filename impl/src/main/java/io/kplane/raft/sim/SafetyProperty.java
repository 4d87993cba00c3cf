package io.kplane.raft.sim;

/**
 * The Raft safety properties (Raft paper, figure 3), named exactly as in the TLA+ spec and the model checker.
 */
public enum SafetyProperty {
    /** At most one leader per term. */
    ELECTION_SAFETY("Election Safety"),
    /** A leader never overwrites or deletes entries in its log during its term; it only appends. */
    LEADER_APPEND_ONLY("Leader Append-Only"),
    /** Two logs with an entry of the same index and term are identical up to that index. */
    LOG_MATCHING("Log Matching"),
    /** An entry committed in a term is in the log of every leader of a later term. */
    LEADER_COMPLETENESS("Leader Completeness"),
    /** No two nodes apply different entries at the same index. */
    STATE_MACHINE_SAFETY("State Machine Safety"),
    /** Not a Raft property: the core threw an exception (an internal assertion failed). */
    NO_INTERNAL_ERROR("No Internal Error");

    private final String displayName;

    SafetyProperty(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
