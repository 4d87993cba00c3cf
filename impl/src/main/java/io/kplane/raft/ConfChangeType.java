package io.kplane.raft;

/** Single-server membership changes. */
public enum ConfChangeType {
    /** Add a voter, or promote an existing learner to voter. */
    ADD_VOTER,
    /** Add a learner: it receives the log but does not vote or count towards quorums. */
    ADD_LEARNER,
    /** Remove a voter or learner. */
    REMOVE_NODE,
    /**
     * Change what the application records about a member (its addresses, in the context); the
     * configuration stays as it is. Ordered in the log like the other changes (etcd's UpdateNode).
     */
    UPDATE_NODE
}
