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
 * @param rejoinAsLearner   a member whose WAL was lost (its data dir still has its identity) may start with a
 *                          fresh log only when this is set, and then takes no part in elections until it has
 *                          caught up with the leader ({@code --rejoin-as-learner})
 * @param quotaBackendBytes the backend size above which the NOSPACE alarm is raised ({@code --quota-backend-bytes});
 *                          0 for etcd's default (2 GiB), negative for no quota
 * @param snapshotChunkBytes largest piece a snapshot is written, read and sent in
 * @param peerTls           TLS of the peer port, for accepting and dialing peers ({@code --peer-cert-file} ...),
 *                          or null for plaintext
 */
public record StoreConfig(String name, ClusterSpec cluster, Path dataDir, Duration tick, int electionTicks,
                          int heartbeatTicks, long snapshotCount, long catchUpEntries, Duration requestTimeout,
                          WalSyncMode syncMode, long walSegmentBytes, long seed, Path traceOut,
                          boolean rejoinAsLearner, long quotaBackendBytes, int snapshotChunkBytes, PeerTls peerTls) {

    /** Defaults close to etcd's: 100 ms ticks, election after 10, snapshots every 100,000 entries (etcd's --snapshot-count
     * default: a snapshot serializes the whole state machine on the agent thread, so it must be rare). */
    public static StoreConfig defaults(String name, ClusterSpec cluster, Path dataDir) {
        return new StoreConfig(name, cluster, dataDir, Duration.ofMillis(100), 10, 1, 100_000, 5_000,
                Duration.ofSeconds(7), WalSyncMode.FSYNC, WriteAheadLog.DEFAULT_SEGMENT_BYTES,
                cluster.member(name).id() ^ System.nanoTime(), null, false, 0, DEFAULT_SNAPSHOT_CHUNK_BYTES, null);
    }

    public StoreConfig withTick(Duration v) {
        return new StoreConfig(name, cluster, dataDir, v, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withElectionTicks(int v) {
        return new StoreConfig(name, cluster, dataDir, tick, v, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withSnapshotCount(long count, long catchUp) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, count, catchUp,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withSyncMode(WalSyncMode v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, v, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withWalSegmentBytes(long v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, v, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withRequestTimeout(Duration v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                v, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withSeed(long v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, v, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withTraceOut(Path v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, v, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withRejoinAsLearner(boolean v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, v, quotaBackendBytes, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withQuotaBackendBytes(long v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, v, snapshotChunkBytes, peerTls);
    }

    public StoreConfig withSnapshotChunkBytes(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("snapshot chunk size must be positive: " + v);
        }
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, v, peerTls);
    }

    public StoreConfig withPeerTls(PeerTls v) {
        return new StoreConfig(name, cluster, dataDir, tick, electionTicks, heartbeatTicks, snapshotCount, catchUpEntries,
                requestTimeout, syncMode, walSegmentBytes, seed, traceOut, rejoinAsLearner, quotaBackendBytes, snapshotChunkBytes, v);
    }

    /** etcd's default backend quota: 2 GiB. */
    public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L << 30;

    /** Default piece of a snapshot on disk and on the wire: 4 MiB. */
    public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 4 << 20;

    /**
     * The largest state a snapshot can hold: it is serialized into one array, so a store that grew
     * past this could never be snapshotted again (which stopped every member). The quota in effect
     * never exceeds it, so the store stops growing with etcd's NOSPACE alarm instead.
     */
    public static final long MAX_SNAPSHOT_STATE_BYTES = Integer.MAX_VALUE - (64L << 20);

    /**
     * The quota in effect: {@link #DEFAULT_QUOTA_BACKEND_BYTES} for 0, none if negative, and never
     * more than {@link #MAX_SNAPSHOT_STATE_BYTES}.
     */
    public long effectiveQuotaBytes() {
        long q = quotaBackendBytes == 0 ? DEFAULT_QUOTA_BACKEND_BYTES : quotaBackendBytes < 0 ? Long.MAX_VALUE : quotaBackendBytes;
        return Math.min(q, MAX_SNAPSHOT_STATE_BYTES);
    }

    /** This member's id. */
    public long memberId() {
        return cluster.member(name).id();
    }
}
