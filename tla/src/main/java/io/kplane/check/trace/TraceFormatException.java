package io.kplane.check.trace;

/** A trace line that cannot be read (not JSON, missing fields, unknown event). */
public final class TraceFormatException extends RuntimeException {
    private final transient TraceLine line;

    public TraceFormatException(TraceLine line, String message) {
        super(line.where() + ": " + message);
        this.line = line;
    }

    public TraceLine line() {
        return line;
    }
}
