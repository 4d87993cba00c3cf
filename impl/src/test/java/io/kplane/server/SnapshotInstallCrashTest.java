package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.raft.ConfState;
import io.kplane.wal.HardStateRecord;
import io.kplane.wal.SnapshotFile;
import io.kplane.wal.WalSyncMode;
import io.kplane.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash while a follower installs the leader's snapshot, between the snapshot marker reaching
 * the disk and the hard state that commits it: the member used to throw on every restart ("hard
 * state commit 1 is out of range [50, 50]"). Real WAL on disk; the crashed state is written with
 * the WAL's own calls, in the order the old install used (marker synced on its own).
 */
class SnapshotInstallCrashTest {

    @TempDir
    Path dir;

    private final ClusterSpec spec = ClusterSpec.parse("n1=127.0.0.1:1", "install-crash");

    /** Failed before the fix: StoreNode.start threw IllegalStateException on every attempt. */
    @Test
    void memberRestartsAfterACrashBetweenSnapshotMarkerAndHardState() throws Exception {
        long id = spec.member("n1").id();
        byte[] meta = MessageCodec.encodeConfState(ConfState.ofVoters(id));
        AppendOnlyLog leaderState = new AppendOnlyLog();
        for (int i = 0; i < 3; i++) {
            leaderState.apply(10 + i * 20L, ("from-leader-" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalSyncMode.FSYNC, 64 * 1024)) {
            wal.saveSnapshot(new SnapshotFile(1, 1, meta, new byte[0])); // the bootstrap state
            wal.saveHardState(new HardStateRecord(1, 0, 1));
            wal.sync();
            // The old install: file and marker, synced ... and the process dies before the hard state.
            wal.saveSnapshot(new SnapshotFile(50, 3, meta, leaderState.snapshot()));
        }
        AppendOnlyLog sm = new AppendOnlyLog();
        StoreConfig config = StoreConfig.defaults("n1", spec, dir).withTick(Duration.ofMillis(10))
                .withRequestTimeout(Duration.ofSeconds(5));
        try (StoreNode node = StoreNode.start(config, sm, new InMemoryNetwork().transport(id))) {
            assertThat(node.query(StateMachine::appliedIndex).get(10, TimeUnit.SECONDS)).isEqualTo(50);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!node.status().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(node.status().isLeader()).isTrue();
            node.propose("after".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            List<String> log = node.query(m -> ((AppendOnlyLog) m).commands().stream()
                    .map(b -> new String(b, StandardCharsets.UTF_8)).toList()).get(10, TimeUnit.SECONDS);
            assertThat(log).containsExactly("from-leader-0", "from-leader-1", "from-leader-2", "after");
            assertThat(node.status().term()).isGreaterThan(3);
        }
    }

    @Test
    void anInstalledSnapshotReachesTheDiskOnlyTogetherWithTheHardStateOfItsReady(@TempDir Path crashed) throws Exception {
        byte[] meta = MessageCodec.encodeConfState(ConfState.ofVoters(spec.member("n1").id()));
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalSyncMode.FSYNC, 64 * 1024)) {
            wal.saveSnapshot(new SnapshotFile(1, 1, meta, new byte[0]));
            wal.saveHardState(new HardStateRecord(1, 0, 1));
            wal.sync();
            wal.installSnapshot(new SnapshotFile(50, 3, meta, new byte[] {1, 2, 3}));
            wal.saveHardState(new HardStateRecord(3, 0, 50));
            copy(dir, crashed); // the process dies before this Ready's sync
            wal.sync();
        }
        try (WriteAheadLog before = WriteAheadLog.open(crashed, WalSyncMode.FSYNC, 64 * 1024)) {
            assertThat(before.recovered().snapshot().index()).isEqualTo(1);
            assertThat(before.recovered().hardState()).isEqualTo(new HardStateRecord(1, 0, 1));
        }
        try (WriteAheadLog after = WriteAheadLog.open(dir, WalSyncMode.FSYNC, 64 * 1024)) {
            assertThat(after.recovered().snapshot().index()).isEqualTo(50);
            assertThat(after.recovered().hardState()).isEqualTo(new HardStateRecord(3, 0, 50));
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var s = java.nio.file.Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".tmp")) {
                    java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
