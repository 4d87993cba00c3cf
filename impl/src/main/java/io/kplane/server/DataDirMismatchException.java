package io.kplane.server;

/** The data dir belongs to another cluster or member, or another process is using it. */
public final class DataDirMismatchException extends RuntimeException {
    public DataDirMismatchException(String message) {
        super(message);
    }
}
