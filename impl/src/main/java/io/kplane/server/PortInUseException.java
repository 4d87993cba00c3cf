package io.kplane.server;

/** The member's listen address is already bound by another process. */
public final class PortInUseException extends RuntimeException {
    public PortInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
