package io.kplane.check;

/**
 * Builds a 64-bit fingerprint of a canonical state from its fields, in order.
 *
 * <p>Each added value goes through a splitmix64-style finalizer, so the result depends on every
 * bit of every field and on their order. With n distinct states the chance that two collide
 * (and the explorer wrongly treats one as visited) is about n&sup2;/2&sup6;&sup5;: for ten million
 * states, under 3 in a million. TLC's fingerprints have the same trade-off.
 */
public final class Fingerprint {
    private long h = 0x6A09E667F3BCC908L;

    public Fingerprint add(long v) {
        h = mix(h + v);
        return this;
    }

    public Fingerprint add(boolean v) {
        return add(v ? 0x5DEECE66DL : 0x2545F4914F6CDD1DL);
    }

    public Fingerprint add(String s) {
        if (s == null) {
            return add(0xDEADBEEFL);
        }
        add(s.length());
        for (int i = 0; i < s.length(); i++) {
            h = mix(h + s.charAt(i));
        }
        return this;
    }

    public long get() {
        return h;
    }

    /** splitmix64's finalizer: a bijection that spreads every input bit over the output. */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * An order-independent combination of element fingerprints: the fingerprint of a multiset.
     * Used for the network (a bag of messages) and for symmetry over interchangeable entities.
     */
    public static long ofMultiset(long[] elementFingerprints, int count) {
        long sum = 0;
        long xor = 0;
        for (int i = 0; i < count; i++) {
            long e = mix(elementFingerprints[i]);
            sum += e;
            xor ^= mix(e);
        }
        return mix(sum ^ mix(xor + count));
    }
}
