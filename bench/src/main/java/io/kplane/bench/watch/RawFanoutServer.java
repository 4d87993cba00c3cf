package io.kplane.bench.watch;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under any watch server on this machine: a plain NIO process that speaks just enough
 * HTTP/1.1 for the bench's {@link PatchWriter} and {@link WatchStreams} — a PATCH of
 * {@code .../pods/pod-N} is acknowledged with a new resourceVersion and, for even N (the pods the
 * watchers' selector matches), appends one pre-framed chunk of the asked size; every watch stream
 * gets the chunks appended after it opened. No store, no JSON, no selectors, no HTTP framework:
 * what is left is the system calls and copies of moving the bytes, with the same batching as the
 * API server's dispatcher (a busy round lasts at least {@link #ROUND_NANOS}; one gathering write
 * per watcher per round). {@code kplane bench watch} runs it with the same client, writer and
 * load as kplane, so "kplane / floor" says how much of the machine's room kplane uses, and a
 * target the floor cannot reach is out of reach of any server on this machine.
 *
 * <p>Threads: one selector thread accepts and reads requests and is the only writer of the event
 * log (published by a volatile count); {@code fanout} threads each own a share of the watchers.
 *
 * <p>Usage: {@code RawFanoutServer PORT EVENT_BYTES [FANOUT_THREADS]}; prints {@code listening}
 * once it accepts connections.
 */
public final class RawFanoutServer {
  static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** Events one watcher takes in one write at most (the API server's dispatcher budget). */
  static final int BUDGET = 256;
  private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WATCH_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      + "Transfer-Encoding: chunked\r\nCache-Control: no-cache, private\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final int eventBytes;
  /** Pre-framed chunks; written only by the selector thread, read up to {@link #published}. */
  private final ByteBuffer[] events = new ByteBuffer[1 << 22];
  private volatile int published;
  private long revision;
  private final Fanout[] fanouts;
  private int nextFanout;

  private RawFanoutServer(int eventBytes, int threads) {
    this.eventBytes = eventBytes;
    fanouts = new Fanout[threads];
    for (int i = 0; i < threads; i++) {
      fanouts[i] = new Fanout("raw-fanout-" + i);
      fanouts[i].thread.start();
    }
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int eventBytes = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    new RawFanoutServer(eventBytes, threads).serve(port, System.out);
  }

  /** The selector loop: accepts, reads requests, answers writes and hands watch streams to the fan-out threads. */
  private void serve(int port, PrintStream out) throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    out.println("listening");
    out.flush();
    while (true) {
      selector.select();
      for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
        SelectionKey key = it.next();
        it.remove();
        try {
          if (key.isAcceptable()) {
            for (SocketChannel c; (c = server.accept()) != null; ) {
              c.configureBlocking(false);
              c.setOption(StandardSocketOptions.TCP_NODELAY, true);
              c.register(selector, SelectionKey.OP_READ, new Requests());
            }
          } else if (key.isReadable()) {
            read(key);
          }
        } catch (IOException e) {
          key.cancel();
          key.channel().close();
        }
      }
    }
  }

  /** A connection's unparsed input. */
  private static final class Requests {
    ByteBuffer in = ByteBuffer.allocate(16 << 10);
    boolean watching;
  }

  private void read(SelectionKey key) throws IOException {
    SocketChannel c = (SocketChannel) key.channel();
    Requests r = (Requests) key.attachment();
    if (r.watching) {
      r.in.clear(); // a watch stream's client sends nothing more that matters; only its close
    }
    if (c.read(r.in) < 0) {
      key.cancel();
      c.close();
      return;
    }
    while (!r.watching) {
      int end = indexOf(r.in, END_OF_HEAD);
      if (end < 0) {
        return;
      }
      String head = new String(r.in.array(), 0, end, StandardCharsets.ISO_8859_1);
      int bodyLength = contentLength(head);
      int total = end + END_OF_HEAD.length + bodyLength;
      if (r.in.position() < total) {
        return;
      }
      String requestLine = head.substring(0, head.indexOf('\r'));
      // Drop the request from the buffer, keeping what follows it.
      r.in.flip().position(total);
      r.in.compact();
      if (requestLine.startsWith("GET ") && requestLine.contains("watch=1")) {
        r.watching = true;
        writeFully(c, ByteBuffer.wrap(WATCH_HEAD));
        fanouts[nextFanout++ % fanouts.length].add(new Watcher(c, published));
      } else if (requestLine.startsWith("PATCH ")) {
        writeFully(c, ByteBuffer.wrap(patched(requestLine)));
      } else {
        writeFully(c, ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      }
    }
  }

  /** Acknowledges a PATCH of pods/pod-N with the next revision; an even N's event goes to every watcher. */
  private byte[] patched(String requestLine) {
    String path = requestLine.split(" ")[1];
    int at = path.lastIndexOf("pod-");
    int pod = at < 0 ? 1 : Integer.parseInt(path.substring(at + 4).replaceAll("[^0-9].*", ""));
    long rv = ++revision;
    if (pod % 2 == 0) {
      events[published] = event(pod, rv);
      published = published + 1; // the volatile store publishes the chunk to the fan-out threads
      for (Fanout f : fanouts) {
        f.wake();
      }
    }
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + pod + "\",\"resourceVersion\":\"" + rv + "\"}}";
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** One watch event line of about {@link #eventBytes}, framed as one HTTP chunk, in direct memory as the API server keeps it. */
  private ByteBuffer event(int pod, long rv) {
    String start = "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + pod
        + "\",\"namespace\":\"default\",\"resourceVersion\":\"" + rv + "\",\"labels\":{\"app\":\"bench\",\"half\":\"yes\"},"
        + "\"annotations\":{\"pad\":\"";
    String end = "\"}}}}\n";
    String line = start + "x".repeat(Math.max(0, eventBytes - start.length() - end.length())) + end;
    byte[] chunk = (Integer.toHexString(line.length()) + "\r\n" + line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocateDirect(chunk.length).put(chunk).flip().asReadOnlyBuffer();
  }

  /** Small answers on a fresh or idle socket: the kernel takes them at once; spin in the rare case it does not. */
  private static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  private static int indexOf(ByteBuffer buf, byte[] needle) {
    byte[] a = buf.array();
    for (int i = 0; i + needle.length <= buf.position(); i++) {
      int k = 0;
      while (k < needle.length && a[i + k] == needle[k]) {
        k++;
      }
      if (k == needle.length) {
        return i;
      }
    }
    return -1;
  }

  /** One watch stream: the next chunk it needs and how much of it the socket has taken. */
  private static final class Watcher {
    final SocketChannel channel;
    int next;
    int offset;

    Watcher(SocketChannel channel, int next) {
      this.channel = channel;
      this.next = next;
    }
  }

  /** A thread writing the log's new chunks to its own watchers, one gathering write per watcher per round. */
  private final class Fanout implements Runnable {
    final Thread thread;
    final ConcurrentLinkedQueue<Watcher> incoming = new ConcurrentLinkedQueue<>();
    final List<Watcher> owned = new ArrayList<>();
    final ByteBuffer[] batch = new ByteBuffer[BUDGET];
    volatile boolean sleeping;

    Fanout(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    void add(Watcher w) {
      incoming.add(w);
      wake();
    }

    void wake() {
      if (sleeping) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      while (true) {
        for (Watcher w; (w = incoming.poll()) != null; ) {
          owned.add(w);
        }
        long roundStart = System.nanoTime();
        int upTo = published;
        boolean wrote = false;
        for (int i = 0; i < owned.size(); i++) {
          Watcher w = owned.get(i);
          if (w.next >= upTo) {
            continue;
          }
          wrote = true;
          try {
            write(w, upTo);
          } catch (IOException gone) {
            owned.set(i, owned.get(owned.size() - 1));
            owned.remove(owned.size() - 1);
            i--;
          }
        }
        if (!wrote) {
          sleeping = true;
          if (incoming.isEmpty() && published == upTo) { // re-check after announcing sleep: no append is missed
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
          }
          sleeping = false;
        } else {
          long left = roundStart + ROUND_NANOS - System.nanoTime();
          if (left > 0) {
            LockSupport.parkNanos(this, left);
          }
        }
      }
    }

    /** One gathering write of the watcher's pending chunks (at most {@link #BUDGET}); advances by what the socket took. */
    private void write(Watcher w, int upTo) throws IOException {
      int n = Math.min(upTo - w.next, BUDGET);
      for (int k = 0; k < n; k++) {
        ByteBuffer b = events[w.next + k].duplicate();
        if (k == 0) {
          b.position(w.offset);
        }
        batch[k] = b;
      }
      long taken = w.channel.write(batch, 0, n);
      while (taken > 0) {
        int left = events[w.next].limit() - w.offset;
        if (taken >= left) {
          taken -= left;
          w.next++;
          w.offset = 0;
        } else {
          w.offset += (int) taken;
          taken = 0;
        }
      }
    }
  }
}
