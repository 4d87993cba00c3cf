package io.kplane.wal;

/**
 * The WAL holds damage that is not a torn tail (which is truncated): a bad checksum inside a
 * completed segment, a missing segment, or entries missing between the snapshot and the log.
 * Starting would silently lose or invent history, so the member refuses to start.
 */
public final class WalCorruptedException extends RuntimeException {
    public WalCorruptedException(String message) {
        super(message);
    }
}
