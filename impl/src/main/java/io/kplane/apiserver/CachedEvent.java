package io.kplane.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * One change in the watch cache's window, shared by every watcher. The object is decoded once (by
 * the cache's writer) and serialized at most once per form it is sent in: the current object for
 * ADDED/MODIFIED, the previous one (with the event's resourceVersion, as upstream) for DELETED.
 * Each watcher receives the same {@link WatchSource.Frame} instance, bytes included, and with it
 * the line already framed as an HTTP chunk in off-heap memory ({@link WatchSource.Frame#chunk}),
 * which HTTP watches write to their sockets as it is. That copy costs memory (the window holds each
 * serialized form twice, once on the heap for WebSocket/Table/tests and once off-heap) and saves a
 * copy and an encoding per watcher.
 *
 * <p>Immutable apart from caches that any thread may fill: a racing second computation yields an
 * equal value, and the fields are volatile, so a reader sees either nothing or a complete frame.
 */
final class CachedEvent {
  private static final byte[] ADDED_PREFIX = "{\"type\":\"ADDED\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] MODIFIED_PREFIX = "{\"type\":\"MODIFIED\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DELETED_PREFIX = "{\"type\":\"DELETED\",\"object\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SUFFIX = "}\n".getBytes(StandardCharsets.UTF_8);

  final long revision;
  final String key;
  /** The object after the change (null for a delete). */
  final ObjectNode current;
  /** The object before the change (null for a create). */
  final ObjectNode previous;

  private volatile byte[] currentJson;
  private volatile WatchSource.Frame added;
  private volatile WatchSource.Frame modified;
  private volatile WatchSource.Frame deleted;
  private volatile Match memo;

  /** The filter's verdict on this event's two states, remembered for the next watcher with the same filter. */
  private record Match(WatchFilter filter, boolean current, boolean previous) {
  }

  CachedEvent(long revision, String key, ObjectNode current, ObjectNode previous) {
    this.revision = revision;
    this.key = key;
    this.current = current;
    this.previous = previous;
  }

  long revision() {
    return revision;
  }

  /**
   * What a watcher with this filter receives (upstream's filtered-watch rule): ADDED when the
   * object starts matching, MODIFIED while it matches, DELETED when it stops matching or is
   * deleted; null when neither state matches.
   */
  WatchSource.Frame frameFor(WatchFilter filter) {
    boolean cur;
    boolean prev;
    if (filter.everything()) {
      cur = current != null;
      prev = previous != null;
    } else {
      Match m = memo;
      if (m == null || m.filter != filter) {
        m = new Match(filter, current != null && filter.matches(current), previous != null && filter.matches(previous));
        memo = m;
      }
      cur = m.current;
      prev = m.previous;
    }
    if (cur) {
      return prev ? modified() : added();
    }
    return prev ? deleted() : null;
  }

  private WatchSource.Frame added() {
    WatchSource.Frame f = added;
    if (f == null) {
      byte[] line = frame(ADDED_PREFIX, currentJson());
      f = new WatchSource.Frame("ADDED", revision, current, line, WatchSource.Frame.httpChunk(line));
      added = f;
    }
    return f;
  }

  private WatchSource.Frame modified() {
    WatchSource.Frame f = modified;
    if (f == null) {
      byte[] line = frame(MODIFIED_PREFIX, currentJson());
      f = new WatchSource.Frame("MODIFIED", revision, current, line, WatchSource.Frame.httpChunk(line));
      modified = f;
    }
    return f;
  }

  private WatchSource.Frame deleted() {
    WatchSource.Frame f = deleted;
    if (f == null) {
      ObjectNode last = previous.deepCopy();
      Defaults.obj(last, "metadata").put("resourceVersion", Long.toString(revision));
      byte[] line = frame(DELETED_PREFIX, json(last));
      f = new WatchSource.Frame("DELETED", revision, last, line, WatchSource.Frame.httpChunk(line));
      deleted = f;
    }
    return f;
  }

  private byte[] currentJson() {
    byte[] j = currentJson;
    if (j == null) {
      j = json(current);
      currentJson = j;
    }
    return j;
  }

  private static byte[] json(ObjectNode o) {
    try {
      return Registry.JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a decoded object", e);
    }
  }

  private static byte[] frame(byte[] prefix, byte[] object) {
    byte[] out = new byte[prefix.length + object.length + SUFFIX.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(object, 0, out, prefix.length, object.length);
    System.arraycopy(SUFFIX, 0, out, prefix.length + object.length, SUFFIX.length);
    return out;
  }
}
