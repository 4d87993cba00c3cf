package io.kplane.raft;

/**
 * The appends in flight to one follower: a ring of (last index, bytes) bounded by count and by total bytes.
 * Freed when the follower acknowledges an index.
 */
final class Inflights {
    private final int capacity;
    private final long maxBytes;
    private long[] index;
    private long[] bytes;
    private int start;
    private int count;
    private long totalBytes;

    Inflights(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.index = new long[Math.min(capacity, 16)];
        this.bytes = new long[index.length];
    }

    Inflights copy() {
        Inflights c = new Inflights(capacity, maxBytes);
        c.index = index.clone();
        c.bytes = bytes.clone();
        c.start = start;
        c.count = count;
        c.totalBytes = totalBytes;
        return c;
    }

    void add(long lastIndex, long size) {
        if (full()) throw new IllegalStateException("cannot add into a full inflights window");
        if (count == index.length) grow();
        int slot = (start + count) % index.length;
        index[slot] = lastIndex;
        bytes[slot] = size;
        count++;
        totalBytes += size;
    }

    private void grow() {
        int n = Math.min(capacity, index.length * 2);
        long[] ni = new long[n];
        long[] nb = new long[n];
        for (int k = 0; k < count; k++) {
            ni[k] = index[(start + k) % index.length];
            nb[k] = bytes[(start + k) % index.length];
        }
        index = ni;
        bytes = nb;
        start = 0;
    }

    /** Frees every inflight append whose last index is {@code <= to}. */
    void freeLE(long to) {
        while (count > 0 && index[start] <= to) {
            totalBytes -= bytes[start];
            start = (start + 1) % index.length;
            count--;
        }
        if (count == 0) start = 0;
    }

    /** Frees the oldest inflight append (if any). */
    void freeFirstOne() {
        if (count > 0) freeLE(index[start]);
    }

    boolean full() {
        return count == capacity || (maxBytes != 0 && totalBytes >= maxBytes);
    }

    int count() {
        return count;
    }

    long bytes() {
        return totalBytes;
    }

    void reset() {
        start = 0;
        count = 0;
        totalBytes = 0;
    }

    long fingerprint() {
        long h = count * 0x9E3779B97F4A7C15L + totalBytes;
        for (int k = 0; k < count; k++) h = h * 31 + index[(start + k) % index.length];
        return h;
    }
}
