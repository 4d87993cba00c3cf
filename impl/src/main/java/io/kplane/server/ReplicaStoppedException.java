package io.kplane.server;

/** The member was stopped (or failed) before the request completed. */
public final class ReplicaStoppedException extends RuntimeException {
    public ReplicaStoppedException(String message) {
        super(message);
    }
}
