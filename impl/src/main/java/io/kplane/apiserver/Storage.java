package io.kplane.apiserver;

import java.util.List;

/**
 * The API server's key-value store: etcd v3 semantics, nothing more. Two implementations:
 * {@link EmbeddedStorage} (an in-process {@code kv.MvccStore}) and {@link EtcdStorage} (any etcd v3
 * endpoint through jetcd: real etcd or a kplane store cluster).
 *
 * <p>The contract every implementation keeps:
 * <ul>
 *   <li>Keys are strings laid out as Kubernetes does ({@code /registry/pods/default/web}); values are
 *       opaque bytes (the object's JSON, without its resourceVersion).</li>
 *   <li>Every successful write creates a new store-wide revision, strictly greater than every revision
 *       before it. An object's resourceVersion is the {@link KeyValue#modRevision()} of its key.</li>
 *   <li>Reads without a revision are linearizable: they see every write acknowledged before they
 *       started.</li>
 *   <li>Conditional writes ({@link #create}, {@link #update}, {@link #delete}) are atomic
 *       compare-and-swap operations on the key's modRevision; a failed one returns the key's current
 *       value so that the caller can retry without another read.</li>
 *   <li>A watch delivers, for keys under its prefix, every change with revision greater than its
 *       start revision exactly once and in revision order, then continues live; a start revision
 *       below the store's compaction throws {@link StorageException.Compacted} (HTTP 410).</li>
 *   <li>Methods block until the store answers: call them from worker threads, never from an I/O
 *       event loop. Watch listeners, in turn, are called on the store's threads and must not block.</li>
 * </ul>
 */
public interface Storage extends AutoCloseable {

  /** One key's value and the revision that last modified it. */
  record KeyValue(String key, byte[] value, long modRevision) {
  }

  /**
   * A page of a range read.
   *
   * @param revision the store revision the page was read at
   * @param more     whether keys beyond the page exist (at that revision)
   * @param count    how many keys the whole range holds at that revision (this page included)
   */
  record Page(List<KeyValue> kvs, long revision, boolean more, long count) {
  }

  /**
   * The outcome of a conditional write.
   *
   * @param succeeded whether the write happened
   * @param revision  the revision of the write when it succeeded, else the store's current revision
   * @param current   when it did not succeed: the key's current value (null when the key is absent)
   */
  record WriteResult(boolean succeeded, long revision, KeyValue current) {
  }

  /** A change seen by a watch. {@code prevValue} is the value before the change (null when none). */
  record Event(Type type, String key, byte[] value, byte[] prevValue, long revision) {
    public enum Type { PUT, DELETE }
  }

  /** Receives a watch's events, in revision order, on a store thread. Must not block. */
  interface WatchListener {
    void onEvent(Event event);

    /** Every change up to {@code revision} has been delivered (etcd progress notifications). */
    default void onProgress(long revision) {
    }

    /** The watch ended because of an error ({@link StorageException.Compacted} when history is gone). */
    void onError(Throwable error);
  }

  /** A running watch; {@link #close()} stops delivery (idempotent). */
  interface Watch extends AutoCloseable {
    @Override
    void close();

    /**
     * Asks the store for a progress notification ({@link WatchListener#onProgress}) with its
     * current revision once everything up to it has been delivered to this watch (etcd's
     * RequestProgress). A consistent list from the watch cache uses it when no change under the
     * watched prefix has moved the cache up to the store's revision. No-op where unsupported.
     */
    default void requestProgress() {
    }
  }

  /** The key's current value, or null. Linearizable. */
  KeyValue get(String key);

  /**
   * Keys under {@code prefix} starting at {@code fromKey} (inclusive; null: the prefix itself), in
   * key order, at most {@code limit} (0: all), read at {@code revision} (0: now, linearizable).
   *
   * @throws StorageException.Compacted when {@code revision} has been compacted
   */
  Page list(String prefix, String fromKey, long limit, long revision);

  /** Creates the key if it is absent. */
  WriteResult create(String key, byte[] value);

  /** Replaces the value if the key's modRevision is still {@code expectedModRevision}. */
  WriteResult update(String key, byte[] value, long expectedModRevision);

  /** Deletes the key if its modRevision is still {@code expectedModRevision}. */
  WriteResult delete(String key, long expectedModRevision);

  /** The store's current revision (linearizable). */
  long currentRevision();

  /**
   * Watches keys under {@code prefix} for changes after {@code afterRevision}.
   *
   * @throws StorageException.Compacted when changes after {@code afterRevision} are no longer kept
   */
  Watch watch(String prefix, long afterRevision, WatchListener listener);

  /** Drops history older than {@code revision} (a no-op when already compacted further). */
  void compact(long revision);

  /** The revision history has been compacted to (0 when never). */
  long compactedRevision();

  @Override
  void close();

  /**
   * Every operation returns without waiting on I/O or another process (an in-process store held in
   * memory), so a request that only reads and writes single objects may be served on the event
   * loop that read it instead of being handed to a worker thread.
   */
  default boolean answersWithoutWaiting() {
    return false;
  }
}
