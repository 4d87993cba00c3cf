package io.kplane.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Raft batch too big for one frame (a snapshot: hundreds of MB, beyond the 512 MiB frame limit)
 * travels as a series of chunk frames, and is put together again on the receiver's disk.
 *
 * <p>Chunk frame body: {@code 0x00} (a batch count of zero, which no real batch has), the
 * transfer id, the chunk's offset and the total length (8 bytes each), then the chunk's bytes.
 * The receiver ({@link Assembler}) writes chunks in order into {@code snap/incoming-<peer>.tmp};
 * a chunk out of order (a frame lost on the way) abandons the transfer, the sender reports the
 * snapshot failed to Raft, and the leader sends it again later.
 */
final class SnapshotChunks {
    static final int HEADER_BYTES = 1 + 8 + 8 + 8;

    private SnapshotChunks() {
    }

    static boolean isChunk(ByteBuffer frame) {
        return frame.remaining() >= HEADER_BYTES && frame.get(frame.position()) == 0;
    }

    /** The chunk frame carrying {@code whole[offset, offset + length)}. */
    static ByteBuffer chunk(long transferId, ByteBuffer whole, int offset, int length) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + length);
        out.put((byte) 0).putLong(transferId).putLong(offset).putLong(whole.limit());
        out.put(whole.slice(offset, length));
        return out.flip();
    }

    /** Puts the chunks of each sender together in a file; one transfer per sender at a time. */
    static final class Assembler {
        private static final Logger LOG = LoggerFactory.getLogger(Assembler.class);
        private final Path dir;
        private final Map<Long, Transfer> transfers = new ConcurrentHashMap<>();
        final AtomicLong chunksReceived = new AtomicLong();

        private static final class Transfer {
            final long id;
            final long total;
            final Path path;
            final FileChannel file;
            long received;

            Transfer(long id, long total, Path path) throws IOException {
                this.id = id;
                this.total = total;
                this.path = path;
                this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
            }

            void discard() {
                try {
                    file.close();
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("removing {}: {}", path, e.toString());
                }
            }
        }

        Assembler(Path dir) {
            this.dir = dir;
        }

        /** Takes one chunk frame from {@code from}; the whole batch once its last chunk is in, else null. */
        ByteBuffer accept(long from, ByteBuffer frame) {
            chunksReceived.incrementAndGet();
            frame.get(); // the zero count
            long id = frame.getLong();
            long offset = frame.getLong();
            long total = frame.getLong();
            if (total > Integer.MAX_VALUE - 16 || offset < 0 || offset + frame.remaining() > total) {
                LOG.warn("dropping a malformed snapshot chunk from {} (offset {}, total {})", Long.toHexString(from), offset, total);
                return null;
            }
            synchronized (this) {
                try {
                    Transfer t = transfers.get(from);
                    if (offset == 0) {
                        if (t != null) {
                            t.discard();
                        }
                        Files.createDirectories(dir);
                        t = new Transfer(id, total, dir.resolve("incoming-" + Long.toHexString(from) + ".tmp"));
                        transfers.put(from, t);
                    } else if (t == null || t.id != id || t.received != offset) {
                        if (t != null) {
                            LOG.info("snapshot transfer {} from {} lost a chunk (expected offset {}, got {}): abandoned",
                                    id, Long.toHexString(from), t.received, offset);
                            t.discard();
                            transfers.remove(from);
                        }
                        return null;
                    }
                    while (frame.hasRemaining()) {
                        t.received += t.file.write(frame, t.received);
                    }
                    if (t.received < t.total) {
                        return null;
                    }
                    transfers.remove(from);
                    ByteBuffer whole = ByteBuffer.allocate((int) t.total);
                    while (whole.hasRemaining()) {
                        if (t.file.read(whole, whole.position()) < 0) {
                            throw new IOException("snapshot transfer file shorter than written");
                        }
                    }
                    t.discard();
                    return whole.flip();
                } catch (IOException e) {
                    throw new UncheckedIOException("receiving a snapshot from " + Long.toHexString(from), e);
                }
            }
        }

        void close() {
            synchronized (this) {
                transfers.values().forEach(Transfer::discard);
                transfers.clear();
            }
        }
    }
}
