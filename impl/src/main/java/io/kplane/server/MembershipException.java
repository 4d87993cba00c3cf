package io.kplane.server;

/** A membership change refused before it was proposed, with etcd's reason. */
public final class MembershipException extends RuntimeException {
    /** etcd's reasons (the etcd layer maps them to etcd's gRPC codes and messages). */
    public enum Reason {
        MEMBER_NOT_FOUND, PEER_URL_EXISTS, ID_EXISTS, NOT_LEARNER, LEARNER_NOT_READY, NOT_ENOUGH_STARTED,
        TOO_MANY_LEARNERS, NOT_LEADER
    }

    private final Reason reason;

    public MembershipException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
