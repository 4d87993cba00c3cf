package io.kplane.raft;

/** The requested index is no longer in storage: it was compacted into a snapshot. */
public final class LogCompactedException extends RuntimeException {
    public LogCompactedException(String message) {
        super(message, null, false, false);
    }
}
