package io.kplane.wal;

/** Raft's persistent per-member state: current term, vote in that term (0 = none), commit index. */
public record HardStateRecord(long term, long vote, long commit) {
    public static final HardStateRecord EMPTY = new HardStateRecord(0, 0, 0);
}
