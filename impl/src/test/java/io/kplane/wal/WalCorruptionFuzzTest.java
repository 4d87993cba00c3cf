package io.kplane.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes WAL recovery with corrupted bytes. Every batch of entries is synced (acknowledged)
 * before the next; then bytes of the segment are flipped or zeroed and the log is reopened.
 * Allowed: a clear refusal ({@link WalCorruptedException}), or recovery of every acknowledged
 * entry unchanged — except that damage inside the last batch may cost a suffix of that batch (a
 * torn final write). Never a crash of another kind, never a changed entry, never a lost entry
 * from an earlier batch. A genuinely torn tail (the last batch's bytes zeroed from some point)
 * must open.
 */
class WalCorruptionFuzzTest {

    private static final long SEGMENT = 64 * 1024;

    record Written(Path dir, Path segment, List<String> entries, int beforeLastBatch, long lastBatchStart, long end) {
    }

    /** Writes {@code batches} synced batches of entries into a fresh WAL; returns where the last batch lies. */
    private static Written write(List<List<String>> batches) throws IOException {
        Path dir = Files.createTempDirectory("wal-fuzz");
        List<String> all = new ArrayList<>();
        long index = 0;
        long lastBatchStart = 0;
        int before = 0;
        for (int b = 0; b < batches.size(); b++) {
            if (b == batches.size() - 1) {
                lastBatchStart = Math.max(usedBytes(segment(dir)), WriteAheadLog.HEADER_BYTES);
                before = all.size();
            }
            try (WriteAheadLog wal = WriteAheadLog.open(dir, WalSyncMode.FSYNC, SEGMENT)) {
                for (String data : batches.get(b)) {
                    index++;
                    wal.append(new WalEntry(index, 1 + index / 7, (byte) 0, data.getBytes(StandardCharsets.UTF_8)));
                    all.add(index + ":" + data);
                }
                wal.sync();
            }
        }
        Path seg = segment(dir);
        return new Written(dir, seg, all, before, lastBatchStart, usedBytes(seg));
    }

    private static Path segment(Path dir) throws IOException {
        Path wal = dir.resolve("wal");
        if (!Files.isDirectory(wal)) {
            return null;
        }
        try (Stream<Path> s = Files.list(wal)) {
            List<Path> segs = s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
            assertThat(segs).as("one segment holds these small logs").hasSizeLessThanOrEqualTo(1);
            return segs.isEmpty() ? null : segs.get(0);
        }
    }

    /** The offset after the last non-zero byte (entries end in a letter, so this is the end of the last record). */
    private static long usedBytes(Path segment) throws IOException {
        if (segment == null) {
            return 0;
        }
        byte[] b = Files.readAllBytes(segment);
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static List<String> recover(Path dir) {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalSyncMode.FSYNC, SEGMENT)) {
            return wal.recovered().entries().stream()
                    .map(e -> e.index() + ":" + new String(e.data(), StandardCharsets.UTF_8)).toList();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertPrefix(String what, List<String> got, List<String> written) {
        assertThat(got.size()).as(what + ": no more entries than written").isLessThanOrEqualTo(written.size());
        assertThat(got).as(what + ": recovered entries are acknowledged ones, unchanged, in order")
                .isEqualTo(written.subList(0, got.size()));
    }

    @Provide
    Arbitrary<List<List<String>>> batches() {
        Arbitrary<String> data = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(120);
        return data.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(6);
    }

    /**
     * The case the fuzzer found: a record that starts 1 to 3 bytes before a sector boundary has
     * only the zero high bytes of its length field in that sector. Those bytes are written data,
     * not an unwritten sector, so a damaged byte further on must refuse the log, not drop the
     * record and every synced one after it as a torn tail.
     */
    @net.jqwik.api.Example
    void aRecordWhoseFirstSectorPieceHoldsOnlyItsLengthsZeroBytesIsNotATornWrite() throws IOException {
        for (int first = 1; first <= 120; first++) {
            List<String> batch = new ArrayList<>();
            batch.add("x".repeat(first));
            for (int k = 0; k < 12; k++) {
                batch.add("y".repeat(40));
            }
            Written w = write(List.of(batch, List.of("z")));
            try {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(w.segment()));
                int pos = WriteAheadLog.HEADER_BYTES;
                while (pos % WriteAheadLog.SECTOR < WriteAheadLog.SECTOR - 3) {
                    pos += 8 + b.getInt(pos);
                    if (pos >= w.lastBatchStart()) {
                        break;
                    }
                }
                if (pos >= w.lastBatchStart()) {
                    continue; // this layout has no record straddling a boundary that way
                }
                byte[] bytes = b.array();
                bytes[pos + 8 + b.getInt(pos) - 1] ^= 1;   // the last byte of that record, after the boundary
                Files.write(w.segment(), bytes);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> recover(w.dir()))
                        .as("record at offset " + pos).isInstanceOf(WalCorruptedException.class);
                return;
            } finally {
                delete(w.dir());
            }
        }
        throw new AssertionError("no layout put a record 1-3 bytes before a sector boundary");
    }

    @Property(tries = 200)
    void flippedBytesAreRefusedOrCostAtMostTheLastBatch(@ForAll("batches") List<List<String>> batches,
                                                        @ForAll @IntRange(min = 0, max = 1_000_000) int where,
                                                        @ForAll @IntRange(min = 1, max = 255) int xor) throws IOException {
        Written w = write(batches);
        try {
            long offset = where % w.end();
            byte[] bytes = Files.readAllBytes(w.segment());
            bytes[(int) offset] ^= (byte) xor;
            Files.write(w.segment(), bytes);
            List<String> got;
            try {
                got = recover(w.dir());
            } catch (WalCorruptedException refused) {
                assertThat(refused.getMessage()).as("a refusal says what is wrong").isNotBlank();
                return;
            }
            String where0 = "byte " + offset + " of " + w.end() + " flipped (last batch starts at " + w.lastBatchStart() + ")";
            assertPrefix(where0, got, w.entries());
            if (offset < w.lastBatchStart()) {
                assertThat(got).as(where0 + ": damage before the last write must not silently drop acknowledged entries")
                        .isEqualTo(w.entries());
            } else {
                assertThat(got.size()).as(where0 + ": at most the damaged last batch may be lost")
                        .isGreaterThanOrEqualTo(w.beforeLastBatch());
            }
        } finally {
            delete(w.dir());
        }
    }

    /**
     * A power loss tears the last write at a sector boundary (disks write 512-byte sectors
     * atomically; a {@code kill -9} tears nothing, the write is in the page cache): the sectors
     * after the tear read as zeros. The log must open with every earlier batch.
     */
    @Property(tries = 100)
    void aTornLastWriteOpensWithEveryEarlierBatch(@ForAll("batches") List<List<String>> batches,
                                                  @ForAll @IntRange(min = 0, max = 1_000_000) int where) throws IOException {
        List<List<String>> withBigLast = new ArrayList<>(batches);
        List<String> last = new ArrayList<>(withBigLast.remove(withBigLast.size() - 1));
        last.add("x".repeat(1500)); // the last write spans several sectors
        withBigLast.add(last);
        Written w = write(withBigLast);
        try {
            long firstSector = (w.lastBatchStart() + 511) / 512;
            long lastSector = (w.end() - 1) / 512;
            long cut = 512 * (firstSector + where % Math.max(1, lastSector - firstSector + 1));
            byte[] bytes = Files.readAllBytes(w.segment());
            java.util.Arrays.fill(bytes, (int) cut, (int) Math.max(cut, w.end()), (byte) 0);
            Files.write(w.segment(), bytes);
            List<String> got = recover(w.dir());
            assertThat(got.size()).as("torn at " + cut).isGreaterThanOrEqualTo(w.beforeLastBatch());
            assertPrefix("torn at " + cut, got, w.entries());
        } finally {
            delete(w.dir());
        }
    }
}
