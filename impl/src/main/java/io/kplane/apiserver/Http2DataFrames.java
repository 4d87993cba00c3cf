package io.kplane.apiserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Watch events of many streams of one HTTP/2 connection framed as DATA frames into one buffer,
 * which is written to the connection as a whole: the path of a watch batch whose stream may send
 * it now.
 *
 * <p>Why: through Netty's stream channels every batch of every stream passes the stream pipeline,
 * the frame codec, the flow controller's queue and byte distributor (which slices, merges and
 * re-slices buffers and chains promises) and lands as two or more entries of the connection's
 * outbound buffer. That cost about 3 µs per delivered event with 1,000 streams — an order of
 * magnitude more than copying the event's bytes. Here a batch costs a window check and a copy.
 *
 * <p>Flow control is kept exactly: a batch goes this way only if the stream has nothing queued in
 * the flow controller (so its order holds) and both the stream's and the connection's send
 * windows cover it; the bytes are then taken from both windows in Netty's own flow controller, so
 * its view stays the peer's view and everything else it sends still respects the windows. A batch
 * that does not fit goes through the stream channel instead, and the stream's later batches follow
 * it there until its queue is empty. Used on the connection's event loop only.
 */
final class Http2DataFrames {
  private static final int FRAME_HEADER_BYTES = 9;
  /** Size of the buffers frames are gathered in (one pooled size; a full one is written out). */
  private static final int BUFFER_BYTES = 32 << 10;

  private final ChannelHandlerContext codecContext;
  private final Http2FrameCodec codec;
  private final Http2Connection connection;
  private final Http2RemoteFlowController flow;
  private ByteBuf buffer;

  private Http2DataFrames(ChannelHandlerContext codecContext, Http2FrameCodec codec) {
    this.codecContext = codecContext;
    this.codec = codec;
    this.connection = codec.connection();
    this.flow = connection.remote().flowController();
  }

  /** The writer for {@code connection}, or null if it has no HTTP/2 frame codec. */
  static Http2DataFrames of(Channel connection) {
    ChannelHandlerContext ctx = connection.pipeline().context(Http2FrameCodec.class);
    return ctx == null ? null : new Http2DataFrames(ctx, (Http2FrameCodec) ctx.handler());
  }

  /**
   * Frames {@code data} (not consumed) as DATA of stream {@code streamId} into the buffer if the
   * stream may send it now; false if it must go through the stream channel (flow control, or the
   * stream is not open for sending).
   */
  boolean append(int streamId, ByteBuf data) {
    Http2Stream stream = connection.stream(streamId);
    if (stream == null || !stream.state().localSideOpen() || flow.hasFlowControlled(stream)) {
      return false;
    }
    int n = data.readableBytes();
    Http2Stream connectionStream = connection.connectionStream();
    if (flow.windowSize(stream) < n || flow.windowSize(connectionStream) < n) {
      return false;
    }
    if (n == 0) {
      return true;
    }
    int maxFrame = codec.encoder().configuration().frameSizePolicy().maxFrameSize();
    for (int from = data.readerIndex(), end = from + n; from < end; ) {
      int len = Math.min(maxFrame, end - from);
      if (buffer != null && buffer.writableBytes() < FRAME_HEADER_BYTES + len) {
        writeOut();
      }
      if (buffer == null) {
        // Fixed-size buffers from the arena allocator, never grown: the connection's adaptive
        // allocator allocated (and zeroed) fresh chunks while many buffers waited to be sent,
        // which cost more than everything else here.
        int size = Math.max(BUFFER_BYTES, FRAME_HEADER_BYTES + len);
        buffer = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
      }
      buffer.writeMedium(len);
      buffer.writeByte(Http2FrameTypes.DATA);
      buffer.writeByte(0); // flags: the stream goes on
      buffer.writeInt(streamId);
      // getBytes copies component by component; writeBytes would first merge a composite into a new array
      data.getBytes(from, buffer, buffer.writerIndex(), len);
      buffer.writerIndex(buffer.writerIndex() + len);
      from += len;
    }
    try {
      flow.incrementWindowSize(stream, -n);
      flow.incrementWindowSize(connectionStream, -n);
    } catch (Http2Exception e) {
      // Only an increment past 2^31-1 throws; a decrement within the window cannot.
      throw new IllegalStateException(e);
    }
    return true;
  }

  /**
   * Writes what was appended to the connection (unflushed). Called before anything else is
   * written to it, so that a stream's frames leave in the order they were offered.
   */
  void writeOut() {
    if (buffer != null) {
      ByteBuf b = buffer;
      buffer = null;
      if (b.isReadable()) {
        codecContext.write(b, codecContext.voidPromise());
      } else {
        b.release();
      }
    }
  }
}
