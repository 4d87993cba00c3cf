package io.kplane.fanout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free event log with one writer and any number of readers, each reading at its
 * own pace through a {@link Cursor}.
 *
 * <p>The log is a power-of-two ring of preallocated slots. The single writer {@link #append}s;
 * an appended element gets the next sequence number (0, 1, 2, ...) and stays readable until the
 * writer has appended {@code capacity} more elements and so reuses its slot. A reader that falls
 * that far behind has been <em>lapped</em>: its next {@link Cursor#poll()} throws
 * {@link OverrunException} naming the first sequence it lost, instead of silently skipping. The
 * reader then decides how to recover (kv watch catches up from MVCC history, as etcd's unsynced
 * watchers do) and {@link Cursor#seek seeks} to a sequence still in the ring.
 *
 * <p>Memory ordering follows Agrona's broadcast buffer: before writing a slot the writer announces
 * the sequence it is about to overwrite ({@code tailIntent}, then a store-store fence), then stores
 * the element with release semantics, then publishes {@code tail} with release semantics. A reader
 * loads {@code tail} with acquire semantics, loads the element with acquire semantics, and then
 * re-reads {@code tailIntent}: if the writer has started to overwrite the slot in the meantime,
 * the element just read may be the newer one, and the read counts as an overrun. So a reader
 * never returns an element under the wrong sequence number.
 *
 * @param <T> the element type; elements must be immutable (or safely published by construction),
 *            because readers on other threads see them through the ring
 */
public final class EventLog<T> {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle TAIL;
    private static final VarHandle TAIL_INTENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(EventLog.class, "tail", long.class);
            TAIL_INTENT = lookup.findVarHandle(EventLog.class, "tailIntent", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;

    // Padding keeps the two hot counters off the cache lines of the fields above and of each other
    // (readers poll tail; the writer bumps both).
    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    /** Sequence of the next element to be published; everything below it is readable (if not lapped). */
    private volatile long tail;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;
    /** One past the highest sequence the writer has started to write. */
    private volatile long tailIntent;
    @SuppressWarnings("unused") private long p21, p22, p23, p24, p25, p26, p27;

    /** @param capacity number of slots; a power of two, at least 2 */
    public EventLog(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, got " + capacity);
        }
        this.slots = new Object[capacity];
        this.mask = capacity - 1;
    }

    /** Number of slots: how far a reader may fall behind before it is lapped. */
    public int capacity() {
        return slots.length;
    }

    /**
     * Appends an element; only the single writer thread may call this. Never blocks and never
     * waits for readers: a reader that is too slow is told so on its next poll.
     *
     * @return the element's sequence number
     */
    public long append(T element) {
        if (element == null) {
            throw new NullPointerException("element");
        }
        long seq = (long) TAIL.getOpaque(this);
        TAIL_INTENT.setOpaque(this, seq + 1);
        VarHandle.storeStoreFence(); // the intent is visible before the slot changes
        SLOTS.setRelease(slots, (int) (seq & mask), element);
        TAIL.setRelease(this, seq + 1);
        return seq;
    }

    /** The sequence the next appended element will get (acquire read). */
    public long tail() {
        return (long) TAIL.getAcquire(this);
    }

    /** The oldest sequence that is still (probably) in the ring; a hint, exact only for the writer. */
    public long oldestAvailable() {
        return Math.max(0, (long) TAIL_INTENT.getAcquire(this) - slots.length);
    }

    /** A new reader positioned at the tail: it sees only elements appended from now on. */
    public Cursor<T> newCursor() {
        return new Cursor<>(this, tail());
    }

    /** A new reader positioned at {@code sequence}; polling it throws if that is no longer in the ring. */
    public Cursor<T> newCursor(long sequence) {
        return new Cursor<>(this, sequence);
    }

    @SuppressWarnings("unchecked")
    T read(long sequence) throws OverrunException {
        long published = (long) TAIL.getAcquire(this);
        if (sequence >= published) {
            return null;
        }
        if (published - sequence > slots.length) {
            throw new OverrunException(sequence, published - slots.length);
        }
        Object element = SLOTS.getAcquire(slots, (int) (sequence & mask));
        VarHandle.loadLoadFence();
        long intent = (long) TAIL_INTENT.getAcquire(this);
        if (intent - sequence > slots.length) {
            // The writer started overwriting this slot: what we read may be the newer element.
            throw new OverrunException(sequence, intent - slots.length);
        }
        return (T) element;
    }

    /**
     * A reader's position in the log. A cursor belongs to one reader thread (it is not thread-safe);
     * the log itself may have any number of cursors on any threads.
     */
    public static final class Cursor<T> {
        private final EventLog<T> log;
        private long next;

        Cursor(EventLog<T> log, long next) {
            this.log = log;
            this.next = next;
        }

        /**
         * The next element, or {@code null} if the reader has caught up with the writer.
         *
         * @throws OverrunException if the writer lapped this reader; the cursor does not move, so
         *         every later poll throws too until the reader {@link #seek seeks}
         */
        public T poll() throws OverrunException {
            T element = log.read(next);
            if (element != null) {
                next++;
            }
            return element;
        }

        /** Sequence of the element the next successful {@link #poll()} returns. */
        public long position() {
            return next;
        }

        /** Moves the cursor; the next poll returns the element at {@code sequence}. */
        public void seek(long sequence) {
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence " + sequence);
            }
            this.next = sequence;
        }

        /** Number of published elements this reader has not read yet (may exceed capacity when lapped). */
        public long lag() {
            return Math.max(0, log.tail() - next);
        }

        /** The log this cursor reads. */
        public EventLog<T> log() {
            return log;
        }
    }
}
