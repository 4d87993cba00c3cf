package io.kplane.client;

import io.kplane.model.Status;

/**
 * The API server answered with an error: the HTTP code and the Kubernetes {@link Status} it sent
 * (or one made up from the code when the body was not a Status). Callers branch on
 * {@link #isNotFound()}, {@link #isConflict()}, {@link #isAlreadyExists()} and {@link #isGone()}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient Status status;

    public ApiException(int code, Status status) {
        super(code + " " + (status.reason() == null ? "" : status.reason() + ": ") + status.message());
        this.code = code;
        this.status = status;
    }

    public int code() {
        return code;
    }

    public Status status() {
        return status;
    }

    public String reason() {
        return status.reason();
    }

    public boolean isNotFound() {
        return code == 404;
    }

    /** 409 for a stale resourceVersion (reason Conflict), not AlreadyExists. */
    public boolean isConflict() {
        return code == 409 && !"AlreadyExists".equals(status.reason());
    }

    public boolean isAlreadyExists() {
        return code == 409 && "AlreadyExists".equals(status.reason());
    }

    /** 410: the resourceVersion asked for was compacted away; a watcher must relist. */
    public boolean isGone() {
        return code == 410;
    }
}
