package io.kplane.model;

/**
 * An {@code ERROR} watch event, read where a typed object was expected. The API server ends the
 * stream after it; the {@link Status} says why (410 Expired: relist, then watch again).
 */
public final class WatchErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  public WatchErrorException(Status status) {
    super("watch error: " + status.code() + " " + status.reason() + ": " + status.message());
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
