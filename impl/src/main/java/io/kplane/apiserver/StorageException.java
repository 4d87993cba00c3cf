package io.kplane.apiserver;

/** A failure of the {@link Storage} below the API server. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The requested revision is older than the store's compaction (HTTP 410 Gone / Expired). */
  public static final class Compacted extends StorageException {
    private static final long serialVersionUID = 1L;
    private final long compactedRevision;

    public Compacted(long requested, long compactedRevision) {
      super("required revision " + requested + " has been compacted (compacted to " + compactedRevision + ")", null);
      this.compactedRevision = compactedRevision;
    }

    public long compactedRevision() {
      return compactedRevision;
    }
  }

  /** The store did not answer in time or is unreachable (HTTP 504 / 503). */
  public static final class Unavailable extends StorageException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
