package io.kplane.apiserver;

import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import java.util.function.ToLongFunction;

/**
 * The watch cache's window of recent events: a {@code fanout} {@link EventLog} whose capacity
 * follows the event rate, as upstream's watch cache does. One writer appends (the cache's store
 * watch); any number of {@link Reader}s read it without locks, each at its own pace.
 *
 * <p>Sizing (upstream's {@code resizeCacheLocked}, time passed in): when the ring is full and its
 * oldest event is younger than {@code freshNanos}, the capacity doubles (up to the upper bound), so
 * that a watcher can resume from any version of the last {@code freshNanos}; when it is full and
 * even the event a quarter of the ring from the end is older than that, it halves (down to the
 * lower bound), giving memory back when the rate drops. Capacities are powers of two (upstream:
 * 100 and 100 x 1024; here 128 and 131,072).
 *
 * <p>A ring cannot grow in place without locking readers out, so a resize starts a new
 * <em>generation</em>: a new log that receives copies of the newest events and everything after.
 * Readers on the old log notice (it ends, and {@link #current()} has moved) and continue in the new
 * one after the last revision they read. A reader whose next event did not make it into the new
 * generation, or that the writer lapped, is told so with {@link OverrunException}: it has fallen
 * more than a window behind.
 *
 * <p>Thread rules: {@link #append}, {@link #positionAfter} and the {@code *Revision} accessors are
 * the writer's (callers hold the cache's lock); {@link Reader} belongs to one reader thread.
 *
 * @param <E> event type; immutable
 */
public final class EventWindow<E> {
  static final int LOWER_BOUND = 128;
  static final int UPPER_BOUND = 128 * 1024;

  /** One ring and what the writer knows about it. */
  static final class Generation<E> {
    final EventLog<E> log;
    /** Every event with a revision above this one is in this generation (while not lapped). */
    final long startRevision;
    // Writer-only bookkeeping, indexed like the ring: revision and record time of each slot.
    final long[] revisions;
    final long[] times;

    Generation(int capacity, long startRevision) {
      this.log = new EventLog<>(capacity);
      this.startRevision = startRevision;
      this.revisions = new long[capacity];
      this.times = new long[capacity];
    }
  }

  private final ToLongFunction<E> revisionOf;
  private final long freshNanos;
  private final int lowerBound;
  private final int upperBound;
  private volatile Generation<E> current;
  /** Writer: all events with a revision above this are still in the window. */
  private long oldestKeptAfter;
  private long resizesUp;
  private long resizesDown;

  public EventWindow(ToLongFunction<E> revisionOf, long startRevision, long freshNanos, int lowerBound, int upperBound) {
    if (Integer.bitCount(lowerBound) != 1 || Integer.bitCount(upperBound) != 1 || lowerBound > upperBound) {
      throw new IllegalArgumentException("bounds must be powers of two, lower <= upper: " + lowerBound + ", " + upperBound);
    }
    this.revisionOf = revisionOf;
    this.freshNanos = freshNanos;
    this.lowerBound = lowerBound;
    this.upperBound = upperBound;
    this.current = new Generation<>(lowerBound, startRevision);
    this.oldestKeptAfter = startRevision;
  }

  /** Writer: appends an event recorded at {@code nowNanos}, resizing first if the rate calls for it. */
  public void append(E event, long nowNanos) {
    Generation<E> g = current;
    int cap = g.log.capacity();
    long tail = g.log.tail();
    if (tail - oldestSeq(g) >= cap) { // full: the append below would evict the oldest
      long oldestTime = g.times[(int) (oldestSeq(g) & (cap - 1))];
      long quarterTime = g.times[(int) ((tail - cap / 4) & (cap - 1))];
      if (nowNanos - oldestTime < freshNanos && cap < upperBound) {
        g = resize(g, cap * 2);
        resizesUp++;
      } else if (nowNanos - quarterTime > freshNanos && cap > lowerBound) {
        g = resize(g, cap / 2);
        resizesDown++;
      }
    }
    put(g, event, nowNanos);
  }

  private void put(Generation<E> g, E event, long nowNanos) {
    int cap = g.log.capacity();
    long tail = g.log.tail();
    if (tail - oldestSeq(g) >= cap) {
      oldestKeptAfter = g.revisions[(int) (tail & (cap - 1))]; // the event about to be overwritten
    }
    g.revisions[(int) (tail & (cap - 1))] = revisionOf.applyAsLong(event);
    g.times[(int) (tail & (cap - 1))] = nowNanos;
    g.log.append(event);
  }

  private long oldestSeq(Generation<E> g) {
    return Math.max(0, g.log.tail() - g.log.capacity());
  }

  /** A new generation holding the newest {@code min(size, capacity)} events of {@code old}. */
  private Generation<E> resize(Generation<E> old, int capacity) {
    long tail = old.log.tail();
    long from = Math.max(oldestSeq(old), tail - capacity);
    // Everything above the revision of the event just before `from` is copied; when that event
    // has already left the ring, what the window promised so far still holds.
    long startRevision = from > oldestSeq(old) ? old.revisions[(int) ((from - 1) & (old.log.capacity() - 1))] : oldestKeptAfter;
    Generation<E> g = new Generation<>(capacity, startRevision);
    EventLog.Cursor<E> c = old.log.newCursor(from);
    for (long s = from; s < tail; s++) {
      E e;
      try {
        e = c.poll();
      } catch (OverrunException impossible) {
        throw new IllegalStateException("the writer lapped itself", impossible);
      }
      g.revisions[(int) (s - from)] = old.revisions[(int) (s & (old.log.capacity() - 1))];
      g.times[(int) (s - from)] = old.times[(int) (s & (old.log.capacity() - 1))];
      g.log.append(e);
    }
    oldestKeptAfter = g.startRevision;
    current = g; // volatile: readers that finish the old log move here
    return g;
  }

  /** Writer: every event with a revision above this is still in the window (410 below it). */
  long oldestKeptAfter() {
    return oldestKeptAfter;
  }

  /** Writer: a reader that gets every event with a revision above {@code revision}. */
  public Reader<E> readerAfter(long revision) {
    if (revision < oldestKeptAfter) {
      throw new IllegalArgumentException("revision " + revision + " is older than the window (" + oldestKeptAfter + ")");
    }
    Generation<E> g = current;
    return new Reader<>(this, g, positionAfter(g, revision), revision);
  }

  /** Writer: the sequence of the first event in {@code g} with a revision above {@code revision}. */
  private long positionAfter(Generation<E> g, long revision) {
    long lo = oldestSeq(g);
    long hi = g.log.tail();
    int mask = g.log.capacity() - 1;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (g.revisions[(int) (mid & mask)] <= revision) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  Generation<E> current() {
    return current;
  }

  public int capacity() {
    return current.log.capacity();
  }

  /** Events in the window now (approximate for non-writers). */
  long size() {
    Generation<E> g = current;
    return g.log.tail() - oldestSeq(g);
  }

  long resizesUp() {
    return resizesUp;
  }

  long resizesDown() {
    return resizesDown;
  }

  /**
   * One reader's position: the events after the last revision it read, across generations. Not
   * thread-safe: one reader thread.
   */
  public static final class Reader<E> {
    private final EventWindow<E> window;
    private Generation<E> generation;
    private EventLog.Cursor<E> cursor;
    private long lastRevision;

    Reader(EventWindow<E> window, Generation<E> generation, long sequence, long lastRevision) {
      this.window = window;
      this.generation = generation;
      this.cursor = generation.log.newCursor(sequence);
      this.lastRevision = lastRevision;
    }

    /**
     * The next event, or null when caught up.
     *
     * @throws OverrunException when events after {@link #lastRevision()} are no longer in the window
     */
    public E next() throws OverrunException {
      E e = cursor.poll();
      if (e == null) {
        Generation<E> now = window.current;
        if (now == generation) {
          return null;
        }
        // The writer started a new generation after its last append to ours; read ours to its end
        // first (the poll above may have raced with that append), then move.
        e = cursor.poll();
        if (e == null) {
          moveTo(now);
          e = cursor.poll();
        }
        if (e == null) {
          return null;
        }
      }
      lastRevision = window.revisionOf.applyAsLong(e);
      return e;
    }

    private void moveTo(Generation<E> g) throws OverrunException {
      if (lastRevision < g.startRevision) {
        throw new OverrunException(cursor.position(), g.log.oldestAvailable());
      }
      // Binary search on the events themselves (the writer's arrays are not ours to read).
      long lo = g.log.oldestAvailable();
      long hi = g.log.tail();
      EventLog.Cursor<E> probe = g.log.newCursor(lo);
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        probe.seek(mid);
        E e = probe.poll();
        if (e == null || window.revisionOf.applyAsLong(e) > lastRevision) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      generation = g;
      cursor = g.log.newCursor(lo);
    }

    /**
     * True when the events after {@link #lastRevision()} are no longer all in the window: the next
     * {@link #next()} would throw {@link OverrunException}. Checked without reading, for a reader
     * whose sink is not ready.
     */
    boolean behindWindow() {
      Generation<E> now = window.current;
      if (now != generation && lastRevision < now.startRevision) {
        return true;
      }
      return cursor.lag() > generation.log.capacity();
    }

    /** The revision of the last event read (or the start revision). */
    long lastRevision() {
      return lastRevision;
    }

    /** Events published and not read yet in this reader's generation (at least 1 when a newer one exists). */
    long lag() {
      long lag = cursor.lag();
      return lag == 0 && window.current != generation ? 1 : lag;
    }
  }
}
