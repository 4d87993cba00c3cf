package io.kplane.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one store member: Raft entries, hard state and snapshot markers in
 * preallocated segment files, plus the snapshot files beside them ({@link SnapshotStore}).
 *
 * <p>Single writer: one thread (the member's Raft agent) calls every method. Writes are buffered
 * in memory by {@link #append}, {@link #saveHardState}; {@link #sync()} writes the whole buffer
 * with one {@code write} and one {@code fdatasync} — the group commit. The caller hands over
 * everything of one Raft {@code Ready} before syncing, so the batch grows with the load.
 *
 * <p>See the package documentation for the on-disk format and the recovery rules.
 */
public final class WriteAheadLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    static final long MAGIC = 0x4b5057414c763031L; // "KPWALv01"
    static final int HEADER_BYTES = 32;
    static final int RECORD_OVERHEAD = 4 + 4 + 1; // length, crc, type
    static final byte ENTRY = 1;
    static final byte HARD_STATE = 2;
    static final byte SNAPSHOT = 3;
    private static final String SUFFIX = ".wal";
    private static final String NEXT = "next.wal.tmp";

    /** Default segment size: big enough that rolling is rare, small enough to release promptly. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    private final Path walDir;
    private final SnapshotStore snapshots;
    private final WalSyncMode syncMode;
    private final long segmentBytes;
    private final ExecutorService allocator;
    private CompletableFuture<Path> nextSegment;

    private final List<Segment> segments = new ArrayList<>();
    private Segment current;
    private FileChannel channel;
    /** File offset where the buffered bytes will be written. */
    private long writeOffset;
    private int chainCrc;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();

    private HardStateRecord hardState = HardStateRecord.EMPTY;
    private long snapshotIndex;
    private long snapshotTerm;
    private long syncCount;
    private final RecoveredLog recovered;

    /** Per-segment bookkeeping for release: the highest entry index written into it. */
    private static final class Segment {
        final long seq;
        final Path path;
        long maxIndex;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    private WriteAheadLog(Path dataDir, WalSyncMode syncMode, long segmentBytes) {
        this.walDir = dataDir.resolve("wal");
        this.syncMode = syncMode;
        this.segmentBytes = segmentBytes;
        this.snapshots = new SnapshotStore(dataDir.resolve("snap"), syncMode);
        this.allocator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wal-preallocate");
            t.setDaemon(true);
            return t;
        });
        try {
            createDirectoryDurably(walDir);
            Files.deleteIfExists(walDir.resolve(NEXT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.recovered = recover();
        nextSegment = CompletableFuture.supplyAsync(this::preallocate, allocator);
    }

    /** Opens (creating if needed) the WAL under {@code dataDir}, with fsync and default segments. */
    public static WriteAheadLog open(Path dataDir) {
        return open(dataDir, WalSyncMode.FSYNC, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * Opens (creating if needed) the WAL under {@code dataDir} ({@code wal/} and {@code snap/}),
     * replaying what is there: see {@link #recovered()}.
     *
     * @throws WalCorruptedException when the log is damaged beyond a torn tail
     */
    public static WriteAheadLog open(Path dataDir, WalSyncMode syncMode, long segmentBytes) {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segment size too small: " + segmentBytes);
        }
        return new WriteAheadLog(dataDir, syncMode, segmentBytes);
    }

    /** What was on disk when the log was opened. */
    public RecoveredLog recovered() {
        return recovered;
    }

    /** Buffers an entry. An index at or below the last appended one overwrites that suffix on replay. */
    public void append(WalEntry entry) {
        int payload = 8 + 8 + 1 + entry.data().length;
        ByteBuffer b = beginRecord(ENTRY, payload);
        b.putLong(entry.index()).putLong(entry.term()).put(entry.type()).put(entry.data());
        endRecord();
        current.maxIndex = Math.max(current.maxIndex, entry.index());
    }

    /** Buffers a hard state; the last synced one wins on replay. */
    public void saveHardState(HardStateRecord state) {
        hardState = state;
        ByteBuffer b = beginRecord(HARD_STATE, 24);
        b.putLong(state.term()).putLong(state.vote()).putLong(state.commit());
        endRecord();
    }

    /**
     * Saves a snapshot durably: the file first, then a marker in the log, then a sync. After a
     * crash between the two the file is ignored (no marker names it). Entries at or below the
     * snapshot's index are no longer replayed; call {@link #releaseTo} to delete their segments.
     */
    public void saveSnapshot(SnapshotFile snapshot) {
        if (snapshot.index() < snapshotIndex) {
            throw new IllegalArgumentException("snapshot " + snapshot.index() + " older than " + snapshotIndex);
        }
        snapshots.save(snapshot);
        recordSnapshot(snapshot.index(), snapshot.term());
    }

    /**
     * The first half of {@link #saveSnapshot}, the one that takes long for a big state: writes the
     * snapshot file durably. The one exception to the single writer: it may run on another thread,
     * concurrently with the writer's appends and syncs (it touches only its own file). The file
     * counts for nothing until the writer calls {@link #recordSnapshot} for it; if that never
     * happens (a crash, a newer snapshot installed first), {@link #releaseTo} deletes it later.
     */
    public void writeSnapshotFile(SnapshotFile snapshot) {
        snapshots.save(snapshot);
    }

    /**
     * Installs a snapshot received from the leader: writes its file durably, then buffers its
     * marker without syncing, so that the caller's hard state (whose commit covers the snapshot)
     * and entries of the same Raft Ready go to disk in the same write and sync. A crash can then
     * never leave a marker on disk without the hard state that goes with it.
     */
    public void installSnapshot(SnapshotFile snapshot) {
        if (snapshot.index() < snapshotIndex) {
            throw new IllegalArgumentException("snapshot " + snapshot.index() + " older than " + snapshotIndex);
        }
        snapshots.save(snapshot);
        snapshotIndex = snapshot.index();
        snapshotTerm = snapshot.term();
        writeSnapshotMarker();
    }

    /**
     * The second half of {@link #saveSnapshot}, on the writer thread: records the snapshot whose
     * file {@link #writeSnapshotFile} wrote in the log, then syncs.
     */
    public void recordSnapshot(long index, long term) {
        if (index < snapshotIndex) {
            throw new IllegalArgumentException("snapshot " + index + " older than " + snapshotIndex);
        }
        snapshotIndex = index;
        snapshotTerm = term;
        writeSnapshotMarker();
        sync();
    }

    /**
     * Deletes whole segments all of whose entries are at or below {@code index} (which must be
     * covered by a saved snapshot), and all but the two newest snapshot files.
     */
    public void releaseTo(long index) {
        if (index > snapshotIndex) {
            throw new IllegalArgumentException("release to " + index + " beyond snapshot " + snapshotIndex);
        }
        while (segments.size() > 1 && segments.get(0).maxIndex <= index) {
            Segment s = segments.remove(0);
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        snapshots.retainNewest(2);
    }

    /** Writes everything buffered with one write and (in {@link WalSyncMode#FSYNC}) one fdatasync. */
    public void sync() {
        if (buffer.position() == 0) {
            return;
        }
        flushBuffer();
        force(channel);
    }

    /** Number of {@link #sync()} calls that wrote something (for tests and benchmarks). */
    public long syncCount() {
        return syncCount;
    }

    /** The hard state last buffered. */
    public HardStateRecord hardState() {
        return hardState;
    }

    /** Index of the last saved snapshot, 0 if none. */
    public long snapshotIndex() {
        return snapshotIndex;
    }

    /** Number of live segment files. */
    public int segmentCount() {
        return segments.size();
    }

    /** Bytes on disk: segments (preallocated size) plus snapshot files. */
    public long sizeBytes() {
        long total = snapshots.sizeBytes();
        for (Segment s : segments) {
            try {
                total += Files.size(s.path);
            } catch (IOException ignored) {
                // released meanwhile
            }
        }
        return total;
    }

    @Override
    public void close() {
        try {
            sync();
        } finally {
            allocator.shutdown();
            try {
                if (!allocator.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    LOG.warn("WAL preallocation still running at close");
                }
                Files.deleteIfExists(walDir.resolve(NEXT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                LOG.warn("removing preallocated WAL segment: {}", e.toString());
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing WAL segment {}: {}", current.path, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- writing

    private ByteBuffer beginRecord(byte type, int payload) {
        int size = RECORD_OVERHEAD + payload;
        if (writeOffset + buffer.position() + size > segmentBytes && writeOffset + buffer.position() > HEADER_BYTES) {
            roll();
        }
        if (buffer.remaining() < size) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + size));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        recordStart = buffer.position();
        buffer.putInt(1 + payload).putInt(0).put(type);
        return buffer;
    }

    private int recordStart;

    private void endRecord() {
        int end = buffer.position();
        crc.reset();
        crc.update(intBytes(chainCrc));
        ByteBuffer body = buffer.duplicate();
        body.position(recordStart + 8).limit(end);
        crc.update(body);
        chainCrc = (int) crc.getValue();
        buffer.putInt(recordStart + 4, chainCrc);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private void writeSnapshotMarker() {
        ByteBuffer b = beginRecord(SNAPSHOT, 16);
        b.putLong(snapshotIndex).putLong(snapshotTerm);
        endRecord();
    }

    private void flushBuffer() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                writeOffset += channel.write(buffer, writeOffset);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WAL write failed on " + current.path, e);
        }
        buffer.clear();
    }

    private void force(FileChannel ch) {
        syncCount++;
        if (syncMode == WalSyncMode.FSYNC) {
            try {
                ch.force(false);
            } catch (IOException e) {
                // After a failed fsync the page cache state is unknown (the "fsyncgate" lesson):
                // the only safe reaction is to stop, never to retry and carry on.
                throw new UncheckedIOException("WAL fsync failed on " + current.path, e);
            }
        }
    }

    /** Finishes the current segment (synced) and continues in a fresh preallocated one. */
    private void roll() {
        int pending = buffer.position();
        // Records of the current batch that were already encoded belong to the old segment.
        if (pending > 0) {
            flushBuffer();
        }
        force(channel);
        try {
            channel.close();
            Path next = nextSegment.get();
            long seq = current.seq + 1;
            Path path = walDir.resolve(segmentName(seq));
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(walDir);
            nextSegment = CompletableFuture.supplyAsync(this::preallocate, allocator);
            startSegment(seq, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot roll WAL segment", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rolling WAL segment", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot preallocate WAL segment", e.getCause());
        }
        // Each segment restates the snapshot and hard state so older segments can be released.
        if (snapshotIndex > 0) {
            writeSnapshotMarker();
        }
        saveHardState(hardState);
    }

    private void startSegment(long seq, Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        current = new Segment(seq, path);
        segments.add(current);
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
        h.putLong(MAGIC).putLong(seq);
        CRC32C c = new CRC32C();
        c.update(h.array(), 0, 16);
        h.putInt((int) c.getValue());
        h.flip();
        h.limit(HEADER_BYTES);
        while (h.hasRemaining()) {
            channel.write(h, h.position());
        }
        writeOffset = HEADER_BYTES;
        chainCrc = seed(seq);
    }

    private static int seed(long seq) {
        return (int) (seq * 0x9E3779B97F4A7C15L >>> 32);
    }

    /** Creates the next segment file zero-filled to full size, off the agent thread. */
    private Path preallocate() {
        Path tmp = walDir.resolve(NEXT);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            // Zero-filled, not sparse: the fdatasync of a later append must not also have to
            // allocate blocks and journal the new size (measured: ~2x fewer syncs/s when growing).
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = 0; pos < segmentBytes; pos += zeros.capacity()) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), segmentBytes - pos));
                while (zeros.hasRemaining()) {
                    ch.write(zeros, pos + zeros.position());
                }
            }
            if (syncMode == WalSyncMode.FSYNC) {
                ch.force(true);
            }
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot preallocate " + tmp, e);
        }
    }

    /**
     * Creates {@code dir} (and missing parents) and fsyncs each new directory's parent, so that the
     * new entry survives a crash: files later created and synced inside it would otherwise be
     * unreachable after a power loss.
     */
    public static void createDirectoryDurably(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectoryDurably(parent);
        }
        Files.createDirectories(abs);
        syncDirectory(abs);
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    /** fsyncs a directory, so that the creation, rename or removal of an entry in it is durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    static String segmentName(long seq) {
        return String.format("%016x%s", seq, SUFFIX);
    }

    // ---------------------------------------------------------------- recovery

    private RecoveredLog recover() {
        List<Path> files = listSegments();
        if (files.isEmpty()) {
            try {
                Path first = walDir.resolve(segmentName(1));
                Files.move(preallocate(), first, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(walDir);
                startSegment(1, first);
                // The header must be durable before anything refers to this segment.
                force(channel);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create WAL in " + walDir, e);
            }
            return new RecoveredLog(null, HardStateRecord.EMPTY, List.of(), 0);
        }
        Replay replay = new Replay();
        long truncated = 0;
        for (int i = 0; i < files.size(); i++) {
            boolean last = i == files.size() - 1;
            long seq = seqOf(files.get(i));
            if (i > 0 && seq != segments.get(i - 1).seq + 1) {
                throw new WalCorruptedException("WAL segment missing before " + files.get(i));
            }
            truncated = scanSegment(files.get(i), seq, last, replay);
        }
        hardState = replay.hardState;
        SnapshotFile snapshot = null;
        // The newest marker whose file is intact wins; an older one is a fallback only if entries
        // after it are still in the log (checked below).
        for (int m = replay.snapshotMarkers.size() - 1; m >= 0 && snapshot == null; m--) {
            long[] marker = replay.snapshotMarkers.get(m);
            snapshot = snapshots.load(marker[1], marker[0]).orElse(null);
            if (snapshot == null) {
                LOG.warn("snapshot {} (term {}) named in the WAL is missing or corrupt; trying an older one",
                        marker[0], marker[1]);
            }
        }
        if (snapshot == null && !replay.snapshotMarkers.isEmpty()) {
            throw new WalCorruptedException("no intact snapshot file for the snapshots recorded in " + walDir);
        }
        snapshotIndex = snapshot == null ? 0 : snapshot.index();
        snapshotTerm = snapshot == null ? 0 : snapshot.term();
        List<WalEntry> entries = new ArrayList<>();
        for (WalEntry e : replay.entries) {
            if (e.index() > snapshotIndex) {
                entries.add(e);
            }
        }
        if (!entries.isEmpty() && entries.get(0).index() != snapshotIndex + 1) {
            throw new WalCorruptedException("WAL entries start at " + entries.get(0).index()
                    + " but the snapshot ends at " + snapshotIndex + ": entries are missing");
        }
        if (truncated > 0) {
            LOG.warn("WAL {}: dropped the torn final write of {} bytes in the last segment (unsynced writes of a crash)",
                    walDir, truncated);
        }
        return new RecoveredLog(snapshot, hardState, entries, truncated);
    }

    /** Accumulates replayed records; entries use Raft's append-with-overwrite semantics. */
    private static final class Replay {
        final List<WalEntry> entries = new ArrayList<>();
        final List<long[]> snapshotMarkers = new ArrayList<>();
        HardStateRecord hardState = HardStateRecord.EMPTY;

        void entry(WalEntry e) {
            if (!entries.isEmpty()) {
                long first = entries.get(0).index();
                long last = entries.get(entries.size() - 1).index();
                if (e.index() <= last) {
                    // A conflicting suffix was overwritten by a newer leader: drop it.
                    int keep = (int) Math.max(0, e.index() - first);
                    entries.subList(keep, entries.size()).clear();
                } else if (e.index() > last + 1) {
                    // A gap: what came before was compacted into a snapshot (checked at the end).
                    entries.clear();
                }
            }
            entries.add(e);
        }
    }

    /** Replays one segment; for the last one, truncates a torn tail. Returns bytes truncated. */
    private long scanSegment(Path path, long seq, boolean last, Replay replay) {
        ByteBuffer data;
        try {
            data = ByteBuffer.wrap(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read WAL segment " + path, e);
        }
        Segment segment = new Segment(seq, path);
        segments.add(segment);
        boolean headerOk = data.limit() >= HEADER_BYTES && data.getLong(0) == MAGIC && data.getLong(8) == seq;
        if (headerOk) {
            CRC32C c = new CRC32C();
            c.update(data.array(), 0, 16);
            headerOk = data.getInt(16) == (int) c.getValue();
        }
        if (!headerOk) {
            if (last && isAllZero(data, 0)) {
                // Crashed right after the rename of a roll: the segment never got its header.
                return reopenLast(segment, 0, seed(seq), true);
            }
            throw new WalCorruptedException("WAL segment " + path + " has a bad header");
        }
        int chain = seed(seq);
        int pos = HEADER_BYTES;
        CRC32C c = new CRC32C();
        while (true) {
            if (pos + RECORD_OVERHEAD > data.limit() || data.getInt(pos) == 0) {
                if (isAllZero(data, pos)) {
                    break; // end of records (zeros of the preallocated file)
                }
                if (pos + RECORD_OVERHEAD > data.limit()) {
                    return damaged(segment, path, last, pos, chain, data, pos + RECORD_OVERHEAD, "a header cut short");
                }
                // Bytes after an empty header: only a final write whose first sector never reached
                // the disk looks like this; anything else is damage to synced data.
                return damaged(segment, path, last, pos, chain, data, sectorEnd(pos + 8L, data.limit()), "an empty record header");
            }
            int length = data.getInt(pos);
            int stored = data.getInt(pos + 4);
            if (length < 1) {
                return damaged(segment, path, last, pos, chain, data, sectorEnd(pos + 8L, data.limit()),
                        "an invalid record length " + length);
            }
            if (pos + 8L + length > data.limit()) {
                // Runs past the end of the file: a write cut short (etcd's unexpected EOF).
                return damaged(segment, path, last, pos, chain, data, pos + 8L + length, "a record running past the end");
            }
            c.reset();
            c.update(intBytes(chain));
            c.update(data.array(), pos + 8, length);
            if ((int) c.getValue() != stored) {
                return damaged(segment, path, last, pos, chain, data, pos + 8L + length, "a checksum mismatch");
            }
            chain = stored;
            ByteBuffer r = data.slice(pos + 9, length - 1);
            switch (data.get(pos + 8)) {
                case ENTRY -> {
                    long index = r.getLong();
                    long term = r.getLong();
                    byte type = r.get();
                    byte[] payload = new byte[r.remaining()];
                    r.get(payload);
                    replay.entry(new WalEntry(index, term, type, payload));
                    segment.maxIndex = Math.max(segment.maxIndex, index);
                }
                case HARD_STATE -> replay.hardState = new HardStateRecord(r.getLong(), r.getLong(), r.getLong());
                case SNAPSHOT -> replay.snapshotMarkers.add(new long[] {r.getLong(), r.getLong()});
                default -> throw new WalCorruptedException("unknown WAL record type " + data.get(pos + 8)
                        + " in " + path + " at " + pos);
            }
            pos += 8 + length;
        }
        if (last) {
            return reopenLast(segment, pos, chain, false);
        }
        return 0;
    }

    /** The disk's unit of atomic writes: a write torn by a crash leaves whole sectors unwritten (zero). */
    static final int SECTOR = 512;

    private static long sectorEnd(long offset, int limit) {
        return Math.min(limit, (offset + SECTOR - 1) / SECTOR * SECTOR);
    }

    /**
     * The record at {@code pos} (spanning {@code [pos, recordEnd)}) does not validate. It is the torn
     * final write of a crash only if it is in the last segment and its damage is what an unfinished
     * write leaves: it runs past the end of the file, or one of its sector-aligned pieces is still
     * all zeros (a sector that never reached the preallocated, zero-filled file — etcd's
     * {@code isTornEntry}). Only then may it and what follows be dropped: everything after it was
     * written in that same unsynced batch. Any other mismatch is damage to synced (acknowledged)
     * data, records or votes, and the member refuses to start rather than silently drop them.
     */
    private long damaged(Segment segment, Path path, boolean last, int pos, int chain, ByteBuffer data,
                         long recordEnd, String what) {
        if (!last) {
            throw new WalCorruptedException("WAL segment " + path + " is corrupt at offset " + pos + " (" + what
                    + " in a completed segment); refusing to start: restore this member from a snapshot or "
                    + "remove it and re-add it to the cluster");
        }
        int claimed = data.getInt(pos);
        int trueLength = pos + 8L <= data.limit() ? lengthMatchingChecksum(data, pos, chain) : -1;
        if (trueLength > 0 && trueLength != claimed) {
            // The checksum fits the bytes up to another length: the record was written whole and its
            // length field is what got damaged. Taking it for a torn tail would drop every synced
            // record after it (a larger length can reach into the zeroed tail and look torn).
            throw new WalCorruptedException("WAL segment " + path + " is corrupt at offset " + pos + " (" + what + ": record length "
                    + claimed + " damaged, its checksum fits length " + trueLength + "); refusing to start: "
                    + "restore this member from a snapshot or remove it and re-add it to the cluster");
        }
        // A zero length field cannot be written (records are never empty), so an all-zero header
        // is itself unwritten; otherwise the header's leading bytes are legitimately zero (the high
        // bytes of a small length) and only the body, which starts with a non-zero type, is judged.
        int from = claimed == 0 ? pos : pos + 8;
        if (!isTornWrite(data, from, recordEnd)) {
            throw new WalCorruptedException("WAL segment " + path + " is corrupt at offset " + pos + " (" + what
                    + ", not a torn final write: synced records would be lost); refusing to start: restore this "
                    + "member from a snapshot or remove it and re-add it to the cluster");
        }
        return torn(segment, path, pos, chain, data);
    }

    /**
     * The length (&ge; 1) whose bytes after the header of the record at {@code pos} match its stored
     * chained checksum, searching up to the last non-zero byte of the segment; -1 if none does.
     */
    static int lengthMatchingChecksum(ByteBuffer data, int pos, int chain) {
        int stored = data.getInt(pos + 4);
        int end = data.limit();
        while (end > pos + 8 && data.get(end - 1) == 0) {
            end--;
        }
        CRC32C c = new CRC32C();
        c.update(intBytes(chain));
        byte[] a = data.array();
        for (int q = pos + 8; q < end; q++) {
            c.update(a[q]);
            if ((int) c.getValue() == stored) {
                return q + 1 - (pos + 8);
            }
        }
        return -1;
    }

    /**
     * Whether the record bytes {@code [start, recordEnd)} show a write that never reached the disk:
     * they run past the end of the file, or one of their sector-aligned pieces is all zeros.
     */
    static boolean isTornWrite(ByteBuffer data, int start, long recordEnd) {
        if (recordEnd > data.limit()) {
            return true;
        }
        long from = start;
        while (from < recordEnd) {
            long to = Math.min(recordEnd, (from / SECTOR + 1) * SECTOR);
            if (isAllZero(data, (int) from, (int) to)) {
                return true;
            }
            from = to;
        }
        return false;
    }

    private long torn(Segment segment, Path path, int pos, int chain, ByteBuffer data) {
        int end = data.limit();
        while (end > pos && data.get(end - 1) == 0) {
            end--;
        }
        reopenLast(segment, pos, chain, false);
        // Zero what follows so that no stale bytes can ever be mistaken for records later.
        try {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
            for (long p = pos; p < end; p += zeros.capacity()) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), end - p));
                channel.write(zeros, p);
            }
            force(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate torn WAL tail in " + path, e);
        }
        return end - pos;
    }

    private long reopenLast(Segment segment, int pos, int chain, boolean writeHeader) {
        try {
            if (writeHeader) {
                segments.remove(segment);
                startSegment(segment.seq, segment.path);
                force(channel);
                return 0;
            }
            channel = FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        current = segment;
        writeOffset = pos;
        chainCrc = chain;
        return 0;
    }

    private static boolean isAllZero(ByteBuffer data, int from) {
        return isAllZero(data, from, data.limit());
    }

    private static boolean isAllZero(ByteBuffer data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private List<Path> listSegments() {
        try (Stream<Path> files = Files.list(walDir)) {
            List<Path> result = new ArrayList<>();
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(result::add);
            result.sort(Comparator.comparingLong(WriteAheadLog::seqOf));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long seqOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseUnsignedLong(n.substring(0, n.length() - SUFFIX.length()), 16);
    }
}
