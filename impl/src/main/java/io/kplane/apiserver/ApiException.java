package io.kplane.apiserver;

import io.kplane.model.Status;

/** A request failure that the HTTP layer answers with its Kubernetes {@link Status} and code. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Status status;

  public ApiException(Status status) {
    super(status.message(), null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }

  public int code() {
    return status.code() == null ? 500 : status.code();
  }

  public static ApiException badRequest(String message) {
    return new ApiException(Status.badRequest(message));
  }

  public static ApiException notFound(ResourceType t, String name) {
    return new ApiException(Status.notFound(t.group(), t.resource(), name));
  }

  public static ApiException conflict(ResourceType t, String name) {
    return new ApiException(Status.conflict(t.group(), t.resource(), name));
  }

  public static ApiException forbidden(String message) {
    return new ApiException(Status.failure(403, "Forbidden", message, null));
  }
}
