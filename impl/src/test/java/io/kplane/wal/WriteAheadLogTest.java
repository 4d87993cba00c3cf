package io.kplane.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    private static final long SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    private WriteAheadLog open() {
        return WriteAheadLog.open(dir, WalSyncMode.FSYNC, SEGMENT);
    }

    private static WalEntry entry(long index, long term, String data) {
        return new WalEntry(index, term, (byte) 0, data.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> payloads(RecoveredLog log) {
        return log.entries().stream().map(e -> e.index() + "@" + e.term() + ":" + new String(e.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void newLogIsEmptyAndReopensEmpty() {
        try (WriteAheadLog wal = open()) {
            assertThat(wal.recovered().isEmpty()).isTrue();
        }
        try (WriteAheadLog wal = open()) {
            assertThat(wal.recovered().isEmpty()).isTrue();
            assertThat(wal.recovered().truncatedTailBytes()).isZero();
        }
    }

    @Test
    void replaysSyncedEntriesAndLastHardState() {
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.append(entry(2, 1, "b"));
            wal.saveHardState(new HardStateRecord(1, 7, 1));
            wal.sync();
            wal.append(entry(3, 2, "c"));
            wal.saveHardState(new HardStateRecord(2, 0, 3));
            wal.sync();
            assertThat(wal.syncCount()).isGreaterThanOrEqualTo(2);
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:a", "2@1:b", "3@2:c");
            assertThat(wal.recovered().hardState()).isEqualTo(new HardStateRecord(2, 0, 3));
            // Appending continues after the recovered tail.
            wal.append(entry(4, 2, "d"));
            wal.sync();
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:a", "2@1:b", "3@2:c", "4@2:d");
        }
    }

    @Test
    void unsyncedBufferIsNotOnDisk(@TempDir Path copy) throws IOException {
        WriteAheadLog wal = open();
        wal.append(entry(1, 1, "synced"));
        wal.sync();
        wal.append(entry(2, 1, "buffered only"));
        // Simulate kill -9: the buffered record never reached the file. Copy the files as they are now.
        copyTree(dir, copy);
        wal.close();
        try (WriteAheadLog recovered = WriteAheadLog.open(copy, WalSyncMode.FSYNC, SEGMENT)) {
            assertThat(payloads(recovered.recovered())).containsExactly("1@1:synced");
        }
    }

    @Test
    void conflictingSuffixIsOverwritten() {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 5; i++) {
                wal.append(entry(i, 1, "old" + i));
            }
            wal.sync();
            // A new leader of term 2 replaces entries 3.. with its own.
            wal.append(entry(3, 2, "new3"));
            wal.append(entry(4, 2, "new4"));
            wal.sync();
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:old1", "2@1:old2", "3@2:new3", "4@2:new4");
        }
    }

    @Test
    void tornTailIsTruncatedAndNeverApplied() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.append(entry(2, 1, "b"));
            wal.sync();
            wal.append(entry(3, 1, "c-which-is-torn" + "x".repeat(1500)));
            wal.sync();
        }
        Path segment = onlySegment();
        // Tear the last write as a crash does: its final sector never reached the disk (still zero).
        long end = endOfRecords(segment);
        long lastSector = (end - 1) / WriteAheadLog.SECTOR * WriteAheadLog.SECTOR;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate((int) (end - lastSector)), lastSector);
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:a", "2@1:b");
            assertThat(wal.recovered().truncatedTailBytes()).isPositive();
            wal.append(entry(3, 2, "c2"));
            wal.sync();
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:a", "2@1:b", "3@2:c2");
            assertThat(wal.recovered().truncatedTailBytes()).isZero();
        }
    }

    @Test
    void tornFinalBatchWithAnUnwrittenMiddleSectorIsTruncatedFromThatRecord() throws IOException {
        long batchStart;
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.sync();
            batchStart = endOfRecords(onlySegment());
            for (int i = 2; i <= 5; i++) {
                wal.append(entry(i, 1, String.valueOf(i).repeat(700)));
            }
            wal.saveHardState(new HardStateRecord(1, 2, 5));
            wal.sync(); // one write: sectors of it may land in any order when the machine crashes
        }
        Path segment = onlySegment();
        // The second aligned sector of the batch never made it; those around it did.
        long sector = (batchStart / WriteAheadLog.SECTOR + 2) * WriteAheadLog.SECTOR;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(WriteAheadLog.SECTOR), sector);
        }
        try (WriteAheadLog wal = open()) {
            List<String> got = payloads(wal.recovered());
            assertThat(got).first().isEqualTo("1@1:a");
            assertThat(got.size()).isLessThan(5);
            assertThat(wal.recovered().truncatedTailBytes()).isPositive();
        }
    }

    /**
     * The defect: a checksum mismatch in the last segment was always taken for a torn tail, and
     * everything after it — synced, acknowledged entries and the vote — was zeroed. A damaged
     * record followed by synced ones is not a torn write: refuse to start and change nothing.
     * (Failed before the fix: recovery returned only entry 1 and zeroed the rest.)
     */
    @Test
    void damageBeforeSyncedRecordsInTheLastSegmentRefusesToStartAndChangesNothing() throws IOException {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 5; i++) {
                wal.append(entry(i, 1, "entry-" + i));
                wal.saveHardState(new HardStateRecord(1, 3, i)); // voted for 3 in term 1
                wal.sync();
            }
        }
        Path segment = onlySegment();
        long record2 = recordOffsets(segment).get(2); // entry 1, hard state, entry 2 ...
        flipByte(segment, record2 + 20);
        byte[] before = Files.readAllBytes(segment);
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("not a torn final write").hasMessageContaining("refusing to start");
        assertThat(Files.readAllBytes(segment)).isEqualTo(before);
        // And again on the next attempt: nothing was "repaired" behind the operator's back.
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class);
    }

    @Test
    void bitFlipInTheLastRecordIsCorruptionNotATornWrite() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.sync();
            wal.append(entry(2, 1, "bbbbbbbb"));
            wal.sync();
        }
        Path segment = onlySegment();
        long end = endOfRecords(segment);
        flipByte(segment, end - 3); // inside entry 2's payload; no sector of it is unwritten
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class).hasMessageContaining("checksum");
    }

    /**
     * A damaged length field of a synced record that is not the last makes it seem to reach into
     * the zeroed tail, which looks like a torn final write; dropping it would drop every synced
     * record after it. The checksum still fits the true length: recovery must refuse.
     */
    @Test
    void inflatedLengthReachingIntoTheZeroedTailRefusesToStart() throws IOException {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 4; i++) {
                wal.append(entry(i, 1, "e" + i));
                wal.sync();
            }
        }
        Path segment = onlySegment();
        long record1 = recordOffsets(segment).get(1);
        long end = endOfRecords(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            // entry 2's length now runs two sectors past the last record: into the zeros
            ch.write(ByteBuffer.allocate(4).putInt(0, (int) (end - record1 - 8 + 2 * WriteAheadLog.SECTOR)), record1);
        }
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class).hasMessageContaining("length");
    }

    @Test
    void zeroedHeaderFollowedBySyncedRecordsRefusesToStart() throws IOException {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 4; i++) {
                wal.append(entry(i, 1, "e" + i));
                wal.sync();
            }
        }
        Path segment = onlySegment();
        long record1 = recordOffsets(segment).get(1);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[4]), record1); // the length field of entry 2 reads 0
        }
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class).hasMessageContaining("empty record header");
    }

    @Test
    void fileCutShortIsTruncated() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.append(entry(2, 1, "b"));
            wal.sync();
        }
        Path segment = onlySegment();
        long end = endOfRecords(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(end - 2);
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:a");
        }
    }

    @Test
    void corruptionInACompletedSegmentRefusesToStart() throws IOException {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 200; i++) {
                wal.append(entry(i, 1, "x".repeat(1000)));
                wal.sync();
            }
            assertThat(wal.segmentCount()).isGreaterThan(1);
        }
        Path first = segments().get(0);
        flipByte(first, WriteAheadLog.HEADER_BYTES + 30);
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class).hasMessageContaining("corrupt");
    }

    @Test
    void segmentsRollAndReplayAcrossThem() {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 300; i++) {
                wal.append(entry(i, 1 + i / 100, "p" + i + "-" + "y".repeat(500)));
                if (i % 7 == 0) {
                    wal.saveHardState(new HardStateRecord(1 + i / 100, 0, i - 3));
                    wal.sync();
                }
            }
            wal.sync();
            assertThat(wal.segmentCount()).isGreaterThan(2);
        }
        try (WriteAheadLog wal = open()) {
            assertThat(wal.recovered().entries()).hasSize(300);
            assertThat(wal.recovered().entries().get(299).index()).isEqualTo(300);
            assertThat(wal.recovered().hardState()).isEqualTo(new HardStateRecord(3, 0, 291));
        }
    }

    @Test
    void snapshotReleasesOldSegmentsAndRecoveryStartsFromIt() throws IOException {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 300; i++) {
                wal.append(entry(i, 1, "e" + i + "-" + "z".repeat(500)));
                wal.sync();
            }
            wal.saveHardState(new HardStateRecord(1, 1, 300));
            wal.sync();
            int before = wal.segmentCount();
            wal.saveSnapshot(new SnapshotFile(250, 1, new byte[] {9}, "state@250".getBytes(StandardCharsets.UTF_8)));
            wal.releaseTo(250);
            assertThat(wal.segmentCount()).isLessThan(before);
            assertThat(segments()).hasSize(wal.segmentCount());
        }
        try (WriteAheadLog wal = open()) {
            RecoveredLog r = wal.recovered();
            assertThat(r.snapshot().index()).isEqualTo(250);
            assertThat(r.snapshot().meta()).containsExactly(9);
            assertThat(new String(r.snapshot().data(), StandardCharsets.UTF_8)).isEqualTo("state@250");
            assertThat(r.entries()).extracting(WalEntry::index).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(251, 300).boxed().toList());
            assertThat(r.hardState().commit()).isEqualTo(300);
        }
    }

    @Test
    void snapshotWithoutFollowingEntriesThenNewEntries() {
        // A follower that installs a leader's snapshot far ahead of its log: the old entries are
        // superseded, the next entries continue after the snapshot.
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.sync();
            wal.saveSnapshot(new SnapshotFile(1000, 5, new byte[0], new byte[] {1, 2, 3}));
            wal.releaseTo(1000);
            wal.append(entry(1001, 5, "after"));
            wal.sync();
        }
        try (WriteAheadLog wal = open()) {
            assertThat(wal.recovered().snapshot().index()).isEqualTo(1000);
            assertThat(payloads(wal.recovered())).containsExactly("1001@5:after");
        }
    }

    @Test
    void corruptSnapshotFileFallsBackToOlderSnapshot() throws IOException {
        try (WriteAheadLog wal = open()) {
            for (int i = 1; i <= 20; i++) {
                wal.append(entry(i, 1, "e" + i));
            }
            wal.sync();
            wal.saveSnapshot(new SnapshotFile(10, 1, new byte[0], "ten".getBytes(StandardCharsets.UTF_8)));
            wal.saveSnapshot(new SnapshotFile(15, 1, new byte[0], "fifteen".getBytes(StandardCharsets.UTF_8)));
        }
        Path newest = dir.resolve("snap").resolve(SnapshotStore.name(1, 15));
        flipByte(newest, 30);
        try (WriteAheadLog wal = open()) {
            assertThat(new String(wal.recovered().snapshot().data(), StandardCharsets.UTF_8)).isEqualTo("ten");
            assertThat(wal.recovered().entries()).extracting(WalEntry::index).startsWith(11L).endsWith(20L);
        }
    }

    @Test
    void missingEntriesAfterSnapshotAreReported() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(entry(1, 1, "a"));
            wal.sync();
            wal.saveSnapshot(new SnapshotFile(1, 1, new byte[0], new byte[0]));
            wal.append(entry(5, 1, "gap"));
            wal.sync();
        }
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptedException.class).hasMessageContaining("missing");
    }

    @Test
    void noFsyncModeStillReplaysAfterCleanClose() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalSyncMode.NO_FSYNC, SEGMENT)) {
            wal.append(entry(1, 1, "a"));
            wal.sync();
        }
        try (WriteAheadLog wal = open()) {
            assertThat(payloads(wal.recovered())).containsExactly("1@1:a");
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private Path onlySegment() throws IOException {
        List<Path> s = segments();
        assertThat(s).hasSize(1);
        return s.get(0);
    }

    /** Offset just after the last record (walks the length fields). */
    private static long endOfRecords(Path segment) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segment));
        int pos = WriteAheadLog.HEADER_BYTES;
        while (pos + 4 <= data.limit() && data.getInt(pos) != 0) {
            pos += 8 + data.getInt(pos);
        }
        return pos;
    }

    /** Offsets of the records in a segment, in order. */
    private static List<Long> recordOffsets(Path segment) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> offsets = new java.util.ArrayList<>();
        int pos = WriteAheadLog.HEADER_BYTES;
        while (pos + 4 <= data.limit() && data.getInt(pos) != 0) {
            offsets.add((long) pos);
            pos += 8 + data.getInt(pos);
        }
        return offsets;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            b.rewind();
            ch.write(b, offset);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
