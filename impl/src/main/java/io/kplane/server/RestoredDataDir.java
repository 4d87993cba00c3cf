package io.kplane.server;

import io.kplane.raft.ConfState;
import io.kplane.wal.HardStateRecord;
import io.kplane.wal.SnapshotFile;
import io.kplane.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Seeds a new member's data dir from a backup ({@code kplane store --restore FILE}), as
 * {@code etcdctl snapshot restore} does: a new cluster (every member of {@code --initial-cluster}
 * a voter) whose first state is the backup's. Every member of the new cluster is seeded from the
 * same file; each then starts as usual from its data dir.
 */
public final class RestoredDataDir {

    private RestoredDataDir() {
    }

    /**
     * Writes the bootstrap snapshot (index 1, term 1, the state of {@code state}) into the empty data
     * dir of {@code config}, durably.
     *
     * @param check the member's state machine, to check the backup holds its kind of state
     * @throws IllegalArgumentException if the data dir already holds a member or the state does not fit
     */
    public static void seed(StoreConfig config, byte[] state, StateMachine check) {
        Path dir = config.dataDir();
        if (Files.exists(dir.resolve("member.properties")) || hasFiles(dir.resolve("wal"))) {
            throw new IllegalArgumentException("data dir " + dir + " already holds a member: --restore only seeds a new "
                    + "data dir (drop --restore to restart this member, or use an empty --data-dir)");
        }
        try {
            check.restore(state);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the snapshot does not hold a state of this member's state machine: " + e, e);
        }
        long[] voters = config.cluster().ids().stream().mapToLong(Long::longValue).toArray();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, config.syncMode(), config.walSegmentBytes())) {
            wal.saveSnapshot(new SnapshotFile(1, 1, MessageCodec.encodeConfState(ConfState.ofVoters(voters)), state));
            wal.saveHardState(new HardStateRecord(1, 0, 1));
            wal.sync();
        }
    }

    private static boolean hasFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".wal"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
