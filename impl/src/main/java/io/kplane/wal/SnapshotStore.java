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
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files in one directory, named {@code <term>-<index>.snap} (hex, like etcd's).
 *
 * <p>Layout: magic {@code KPSNAP01}, index, term, meta length, meta, data length, data, and a
 * CRC32C of everything before it. A file is written to a temporary name, synced, renamed and the
 * directory synced, so a crash leaves either the old set of files or the new one. A file whose
 * checksum does not match is reported as absent (and logged by the caller), never returned.
 */
public final class SnapshotStore {

    private static final long MAGIC = 0x4b50534e41503031L; // "KPSNAP01"
    private static final String SUFFIX = ".snap";

    private final Path dir;
    private final WalSyncMode syncMode;

    public SnapshotStore(Path dir, WalSyncMode syncMode) {
        this.dir = dir;
        this.syncMode = syncMode;
        try {
            WriteAheadLog.createDirectoryDurably(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.getFileName().toString().endsWith(".tmp")) {
                        Files.delete(p); // an interrupted save: never renamed, never referenced
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code snapshot} durably (unless {@link WalSyncMode#NO_FSYNC}). */
    public void save(SnapshotFile snapshot) {
        // Header, the data in place (no copy of a state that may be hundreds of MB), the checksum.
        ByteBuffer head = ByteBuffer.allocate(8 + 8 + 8 + 4 + snapshot.meta().length + 4);
        head.putLong(MAGIC).putLong(snapshot.index()).putLong(snapshot.term());
        head.putInt(snapshot.meta().length).put(snapshot.meta());
        head.putInt(snapshot.data().length);
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, head.position());
        crc.update(snapshot.data());
        head.flip();
        ByteBuffer tail = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
        ByteBuffer[] b = {head, ByteBuffer.wrap(snapshot.data()), tail};
        Path target = dir.resolve(name(snapshot.term(), snapshot.index()));
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (ByteBuffer part : b) {
                // At most 1 MiB per write: the JDK copies a heap buffer into a temporary direct one
                // of the size written, which for a whole state would be hundreds of MB off-heap.
                while (part.hasRemaining()) {
                    ByteBuffer chunk = part.slice().limit(Math.min(part.remaining(), 1 << 20));
                    int n = ch.write(chunk);
                    part.position(part.position() + n);
                }
            }
            if (syncMode == WalSyncMode.FSYNC) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + tmp, e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (syncMode == WalSyncMode.FSYNC) {
                WriteAheadLog.syncDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename snapshot " + tmp, e);
        }
    }

    /** The snapshot at exactly {@code (term, index)} if its file exists and is intact. */
    public Optional<SnapshotFile> load(long term, long index) {
        Path p = dir.resolve(name(term, index));
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        return read(p);
    }

    /** Deletes every snapshot file except the {@code keep} newest (by index). */
    public void retainNewest(int keep) {
        List<Path> files = list();
        for (int i = 0; i < files.size() - keep; i++) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Snapshot files, oldest (lowest index) first. */
    public List<Path> list() {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> result = new ArrayList<>();
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(result::add);
            result.sort(Comparator.comparingLong(SnapshotStore::indexOf));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Total size of the snapshot files in bytes. */
    public long sizeBytes() {
        long total = 0;
        for (Path p : list()) {
            try {
                total += Files.size(p);
            } catch (IOException ignored) {
                // deleted concurrently by retainNewest: not part of the total any more
            }
        }
        return total;
    }

    static String name(long term, long index) {
        return String.format("%016x-%016x%s", term, index, SUFFIX);
    }

    private static long indexOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseUnsignedLong(n.substring(17, 33), 16);
    }

    static Optional<SnapshotFile> read(Path p) {
        try {
            byte[] all = Files.readAllBytes(p);
            if (all.length < 8 + 8 + 8 + 4 + 4 + 4) {
                return Optional.empty();
            }
            CRC32C crc = new CRC32C();
            crc.update(all, 0, all.length - 4);
            ByteBuffer b = ByteBuffer.wrap(all);
            if (b.getInt(all.length - 4) != (int) crc.getValue() || b.getLong() != MAGIC) {
                return Optional.empty();
            }
            long index = b.getLong();
            long term = b.getLong();
            int metaLength = b.getInt();
            if (metaLength < 0 || metaLength > b.remaining() - 8) {
                return Optional.empty();
            }
            byte[] meta = new byte[metaLength];
            b.get(meta);
            int dataLength = b.getInt();
            if (dataLength < 0 || dataLength != b.remaining() - 4) {
                return Optional.empty();
            }
            byte[] data = new byte[dataLength];
            b.get(data);
            return Optional.of(new SnapshotFile(index, term, meta, data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + p, e);
        }
    }
}
