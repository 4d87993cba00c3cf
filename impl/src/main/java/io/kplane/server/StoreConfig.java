package io.kplane.server;

import io.kplane.wal.WalSyncMode;
import io.kplane.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one store member.
 *
 * @param name              this member's name in {@code cluster}
 * @param cluster           the initial cluster (members, ids)
 * @param dataDir           where the WAL, snapshots and the member identity live
 * @param tick              length of one Raft tick (election timeout = {@code electionTicks} to twice that)
 * @param electionTicks     ticks without a leader before campaigning
 * @param heartbeatTicks    ticks between leader heartbeats
 * @param snapshotCount     applied entries between two snapshots (etcd's {@code --snapshot-count})
 * @param catchUpEntries    entries kept in the log after a snapshot, for slow followers
 * @param requestTimeout    how long a proposal or read barrier may wait before failing
 * @param syncMode          WAL durability; {@link WalSyncMode#NO_FSYNC} only for benchmarks that say so
 * @param walSegmentBytes   WAL segment size
 * @param seed              seed of the Raft core's random election timeouts
 * @param traceOut          NDJSON file to append the Raft core's spec-level steps to ({@link NdjsonTraceWriter}),
 *                          or null for none
 */
public record StoreConfig(String name, ClusterSpec cluster, Path dataDir, Duration tick, int electionTicks,
                          int heartbeatTicks, long snapshotCount, long catchUpEntries, Duration requestTimeout,
                          WalSyncMode syncMode, long walSegmentBytes, long seed, Path traceOut) {

    /** Defaults close to etcd's: 100 ms ticks, election after 10, snapshots every 100,000 entries (etcd's --snapshot-count
     * default: a snapshot serializes the whole state machine on the agent thread, so it must be rare). */
    public static StoreConfig defaults(String name, ClusterSpec cluster, Path dataDir) {
        return new StoreConfig(name, cluster, dataDir, Duration.ofMillis(100), 10, 1, 100_000, 5_000,
                Duration.ofSeconds(7), WalSyncMode.FSYNC, WriteAheadLog.DEFAULT_SEGMENT_BYTES,
                cluster.member(name).id() ^ System.nanoTime(), null);
    }

    public StoreConfig withTick(Duration v) {
        return new StoreConfig(name, cluster, dataDir, v, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut);
    }

    public StoreConfig withElectionTicks(int v) {
        return new StoreConfig(name, cluster, dataDir, tick, v, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut);
    }

    public StoreConfig withSnapshotCount(long count, long catchUp) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, count, catchUp,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut);
    }

    public StoreConfig withSyncMode(WalSyncMode v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, v, walSegmentBytes, seed, traceOut);
    }

    public StoreConfig withWalSegmentBytes(long v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, v, seed, traceOut);
    }

    public StoreConfig withRequestTimeout(Duration v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                v, syncMode, walSegmentBytes, seed, traceOut);
    }

    public StoreConfig withSeed(long v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, v, traceOut);
    }

    public StoreConfig withTraceOut(Path v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, v);
    }

    /** This member's id. */
    public long memberId() {
        return cluster.member(name).id();
    }
}
