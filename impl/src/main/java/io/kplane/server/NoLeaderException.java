package io.kplane.server;

/** A request could not be served because this member knows of no leader (election in progress). */
public final class NoLeaderException extends RuntimeException {
    public NoLeaderException(String message) {
        super(message);
    }
}
