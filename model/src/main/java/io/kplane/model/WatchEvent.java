package io.kplane.model;

/**
 * A watch stream event: type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (then the object is a
 * {@link Status}).
 */
public record WatchEvent<T>(String type, T object) {

  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";
  public static final String BOOKMARK = "BOOKMARK";
  public static final String ERROR = "ERROR";

  public WatchEvent {
    if (type == null) {
      throw new IllegalArgumentException("a watch event needs a type");
    }
  }
}
