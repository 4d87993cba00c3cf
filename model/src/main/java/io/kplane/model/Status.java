package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes {@code Status} object: the body of every API error (and of some successes). The
 * factories produce the reasons, codes and messages the real API server uses, e.g.
 * {@code pods "web-0" not found} (404 NotFound).
 */
public record Status(
    String apiVersion,
    String kind,
    ListMeta metadata,
    String status,
    String message,
    String reason,
    StatusDetails details,
    Integer code,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements ApiObject {

  public static final String SUCCESS = "Success";
  public static final String FAILURE = "Failure";

  public Status {
    if (apiVersion == null) {
      apiVersion = "v1";
    }
    if (kind == null) {
      kind = "Status";
    }
    extra = Immutable.map(extra);
  }

  public static Status failure(int code, String reason, String message, StatusDetails details) {
    return new Status(null, null, null, FAILURE, message, reason, details, code, null);
  }

  public static Status success() {
    return new Status(null, null, null, SUCCESS, null, null, null, null, null);
  }

  /** 404 NotFound: {@code pods "x" not found}. group is "" for the core group. */
  public static Status notFound(String group, String resource, String name) {
    return failure(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found", StatusDetails.of(name, group, resource));
  }

  /** 409 AlreadyExists: {@code pods "x" already exists}. */
  public static Status alreadyExists(String group, String resource, String name) {
    return failure(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists", StatusDetails.of(name, group, resource));
  }

  /** 409 Conflict for a stale resourceVersion, with the API server's wording. */
  public static Status conflict(String group, String resource, String name) {
    return conflict(group, resource, name, "the object has been modified; please apply your changes to the latest version and try again");
  }

  /** 409 Conflict: {@code Operation cannot be fulfilled on pods "x": <why>}. */
  public static Status conflict(String group, String resource, String name, String why) {
    return failure(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource) + " \"" + name + "\": " + why,
        StatusDetails.of(name, group, resource));
  }

  /** 410 Expired: a watch or list from a compacted resourceVersion. */
  public static Status expired(String message) {
    return failure(410, "Expired", message, null);
  }

  /** 410 Gone. */
  public static Status gone(String message) {
    return failure(410, "Gone", message, null);
  }

  /** 400 BadRequest. */
  public static Status badRequest(String message) {
    return failure(400, "BadRequest", message, null);
  }

  /**
   * 422 Invalid: {@code Pod "x" is invalid: spec.containers: Required value}; one cause per field error.
   */
  public static Status invalid(String group, String kind, String name, List<StatusCause> causes) {
    StringBuilder msg = new StringBuilder(kind).append(" \"").append(name).append("\" is invalid: ");
    if (causes.size() == 1) {
      StatusCause c = causes.get(0);
      msg.append(c.field()).append(": ").append(c.message());
    } else {
      msg.append('[');
      for (int i = 0; i < causes.size(); i++) {
        msg.append(i == 0 ? "" : ", ").append(causes.get(i).field()).append(": ").append(causes.get(i).message());
      }
      msg.append(']');
    }
    StatusDetails details = new StatusDetails(name, group, kind, null, causes, null, null);
    return failure(422, "Invalid", msg.toString(), details);
  }

  /** 405 MethodNotAllowed. */
  public static Status methodNotAllowed(String message) {
    return failure(405, "MethodNotAllowed", message, null);
  }

  /** 500 InternalError: {@code Internal error occurred: <message>}. */
  public static Status internalError(String message) {
    return failure(500, "InternalError", "Internal error occurred: " + message, null);
  }

  /** {@code pods} for the core group, {@code deployments.apps} otherwise. */
  static String qualified(String group, String resource) {
    return group == null || group.isEmpty() ? resource : resource + "." + group;
  }
}
