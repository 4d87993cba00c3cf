package io.kplane.raft;

import java.util.random.RandomGenerator;

/**
 * A tiny seeded random generator whose whole state is one {@code long}, so a {@link RaftNode} copy made by the
 * model checker continues with exactly the same random choices (election timeouts) as the original.
 */
public final class SplitMix64 implements RandomGenerator {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public SplitMix64 copy() {
        return new SplitMix64(state);
    }

    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
