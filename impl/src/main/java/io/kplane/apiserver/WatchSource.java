package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;

/**
 * Where watch events come from. The HTTP layer asks for the changes of one resource (in one
 * namespace or all) after a revision, filtered by selectors, and writes what the sink receives.
 * {@link StoreWatchSource} opens one store watch per request; a watch cache (one store watch per
 * resource, an event window, fan-out to every watcher, each event serialized once) implements the
 * same interface and slots in through {@link ApiServer.Config}.
 *
 * <p>Contract: for each open watch the sink receives, exactly once and in revision order, every
 * change after {@code afterRevision} to an object matching the filter — an object that starts
 * matching arrives as ADDED, one that stops matching as DELETED (upstream's filtered-watch rule) —
 * then continues live until closed or until {@link Sink#error} ends it. Sink methods are called
 * from the source's threads, one at a time per watch, and must not block.
 */
public interface WatchSource {

  /**
   * What to watch. {@code filter} carries the label and field selectors (limit, continue and
   * resourceVersion in it are ignored here).
   */
  record Request(ResourceType type, String namespace, long afterRevision, Registry.ListOptions filter) {
  }

  /**
   * One event for one watcher. {@code json} is the complete encoded watch event,
   * {@code {"type":"ADDED","object":{...}}}, which a source may share between watchers.
   * {@code chunk}, when a source provides it, is the same line already framed as one HTTP/1.1
   * chunk ({@code <hex length>\r\n<json>\r\n}) in off-heap memory that is never released: an
   * HTTP watch writes {@code chunk.duplicate()} to its socket as it is, with no copy and no encoding
   * per watcher. Null: the writer frames {@code json} itself.
   */
  record Frame(String type, long revision, ObjectNode object, byte[] json, io.netty.buffer.ByteBuf chunk) {
    Frame(String type, long revision, ObjectNode object, byte[] json) {
      this(type, revision, object, json, null);
    }

    /** The event's line alone, from the shared {@link #chunk} without its HTTP/1.1 framing (for HTTP/2 DATA frames); null without a chunk. */
    io.netty.buffer.ByteBuf line() {
      if (chunk == null) {
        return null;
      }
      int head = chunk.readableBytes() - json.length - 2;
      return chunk.slice(chunk.readerIndex() + head, json.length);
    }

    /** {@code json} framed as one HTTP/1.1 chunk in a direct buffer shared by every writer (see {@link #chunk}). */
    static io.netty.buffer.ByteBuf httpChunk(byte[] json) {
      byte[] head = (Integer.toHexString(json.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      // A JDK direct buffer: its memory goes back when the event leaves the window and is collected
      // (Netty wraps it without taking ownership), so nothing has to count references.
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(head.length + json.length + 2);
      b.put(head).put(json).put((byte) '\r').put((byte) '\n').flip();
      return io.netty.buffer.Unpooled.unreleasableBuffer(io.netty.buffer.Unpooled.wrappedBuffer(b));
    }
  }

  interface Sink {
    void event(Frame frame);

    /**
     * Several events in a row, in order: a sink may write them with one flush. The list is the
     * caller's and is reused after the call returns.
     */
    default void events(java.util.List<Frame> frames) {
      for (Frame f : frames) {
        event(f);
      }
    }

    /**
     * False while the sink's last write is still on its way to the socket. The watcher then leaves
     * its events in the cache's window, and they go out together in one write once the sink is
     * ready: under load, batches grow instead of writes queueing up on the connection's event loop
     * (where they would also delay every other answer that loop writes). A sink that stays not
     * ready falls out of the window and is ended, like any watcher that falls behind.
     */
    default boolean ready() {
      return true;
    }

    /** Everything up to {@code revision} has been delivered (for BOOKMARK events). */
    void progress(long revision);

    /** The watch ended with this status (410 Expired when the start revision is too old). */
    void error(Status status);

    /**
     * The source ended the watch without an error: the watcher fell too far behind (upstream
     * terminates such watchers the same way). The client re-watches from its last resourceVersion.
     */
    void end();
  }

  /**
   * Opens a watch.
   *
   * @throws ApiException 410 when {@code afterRevision} is older than the retained history
   */
  Storage.Watch open(Request request, Sink sink);
}
