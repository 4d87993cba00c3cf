package io.kplane.server;

/**
 * A runtime membership change requested through etcd's Cluster service, carried out by the Raft
 * agent as a conf change whose context is the member record.
 *
 * @param kind   what to do
 * @param member the member to add (with its new id), or the member to act on (only its id matters
 *               for REMOVE and PROMOTE; UPDATE uses its peer URLs, PUBLISH its name and client URLs)
 */
public record MembershipChange(Kind kind, Member member) {
    /** etcd's MemberAdd / MemberRemove / MemberUpdate / MemberPromote, and a started member publishing its name. */
    public enum Kind { ADD, REMOVE, UPDATE, PROMOTE, PUBLISH }
}
