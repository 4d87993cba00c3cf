package io.kplane.fanout;

/**
 * A reader of an {@link EventLog} was lapped by the writer: the elements from {@link #lostFrom()}
 * up to (not including) {@link #oldestAvailable()} are gone from the ring. Checked on purpose: a
 * reader must decide what to do about lost events; the log never drops them silently.
 */
public final class OverrunException extends Exception {
    private final long lostFrom;
    private final long oldestAvailable;

    public OverrunException(long lostFrom, long oldestAvailable) {
        super("reader lapped: wanted sequence " + lostFrom + ", oldest still in the ring is " + oldestAvailable, null,
                false, false);
        this.lostFrom = lostFrom;
        this.oldestAvailable = oldestAvailable;
    }

    /** The sequence the reader wanted next. */
    public long lostFrom() {
        return lostFrom;
    }

    /** The oldest sequence still readable when the overrun was detected (a hint: the writer goes on). */
    public long oldestAvailable() {
        return oldestAvailable;
    }
}
