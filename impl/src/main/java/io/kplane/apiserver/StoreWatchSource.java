package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import java.io.IOException;

/**
 * The straightforward {@link WatchSource}: one {@link Storage#watch} per request, each event
 * decoded, filtered and serialized for that one watcher. Correct and simple; a watch cache does
 * the same work once per event for all watchers.
 */
public final class StoreWatchSource implements WatchSource {
  private final Storage storage;
  private final Registry registry;

  public StoreWatchSource(Storage storage, Registry registry) {
    this.storage = storage;
    this.registry = registry;
  }

  @Override
  public Storage.Watch open(Request request, Sink sink) {
    ResourceType t = request.type();
    String prefix = t.storagePrefix(request.namespace());
    try {
      return storage.watch(prefix, request.afterRevision(), new Storage.WatchListener() {
        @Override
        public void onEvent(Storage.Event e) {
          ObjectNode cur = e.value() == null ? null : Registry.decode(e.value(), e.revision());
          ObjectNode prev = e.prevValue() == null ? null : Registry.decode(e.prevValue(), e.revision());
          boolean nowMatches = cur != null && registry.matches(t, request.filter(), cur);
          boolean prevMatches = prev != null && registry.matches(t, request.filter(), prev);
          String type;
          ObjectNode object;
          if (e.type() == Storage.Event.Type.DELETE) {
            if (!prevMatches) {
              sink.progress(e.revision());
              return;
            }
            type = "DELETED";
            object = prev;
          } else if (nowMatches) {
            type = prevMatches ? "MODIFIED" : "ADDED";
            object = cur;
          } else if (prevMatches) {
            type = "DELETED";
            object = cur;
          } else {
            sink.progress(e.revision());
            return;
          }
          sink.event(new Frame(type, e.revision(), object, encode(type, object)));
        }

        @Override
        public void onProgress(long revision) {
          sink.progress(revision);
        }

        @Override
        public void onError(Throwable error) {
          if (error instanceof StorageException.Compacted c) {
            sink.error(Status.expired("The resourceVersion for the provided watch is too old."));
          } else {
            sink.error(Status.internalError(String.valueOf(error.getMessage())));
          }
        }
      });
    } catch (StorageException.Compacted c) {
      throw new ApiException(Status.expired("too old resource version: " + request.afterRevision() + " (" + c.compactedRevision() + ")"));
    }
  }

  /** {@code {"type":T,"object":O}} followed by a newline. */
  static byte[] encode(String type, ObjectNode object) {
    ObjectNode ev = Registry.JSON.createObjectNode();
    ev.put("type", type);
    ev.set("object", object);
    try {
      byte[] body = Registry.JSON.writeValueAsBytes(ev);
      byte[] line = java.util.Arrays.copyOf(body, body.length + 1);
      line[body.length] = '\n';
      return line;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
