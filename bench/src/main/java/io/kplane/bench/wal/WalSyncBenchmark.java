package io.kplane.bench.wal;

import io.kplane.wal.SnapshotFile;
import io.kplane.wal.WalEntry;
import io.kplane.wal.WalSyncMode;
import io.kplane.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WAL group commit against the disk's sync floor, all in one run on the same file system:
 * <ul>
 *   <li>{@code fdatasyncFloor}: write 4 KiB + {@code fdatasync} on a preallocated file — the
 *       physical floor of one durable batch;</li>
 *   <li>{@code walAppendSync}: {@code batch} entries of {@code entryBytes} appended to the
 *       {@link WriteAheadLog} plus one {@code sync()} — one durable group commit;</li>
 *   <li>{@code chronicleAppendSync}: the same batch in Chronicle Queue 2026.4 with
 *       {@code SyncMode.SYNC} and {@code appender.sync()} — the alternative we measured.</li>
 * </ul>
 * Every op is one durable batch, so ops/s of the WAL divided by ops/s of the floor is the WAL's
 * efficiency (1.0 = as fast as the disk syncs); entries/s = ops/s × batch.
 * {@code kplane bench wal} ({@link WalArea}) and {@link WalSyncReport} run them with the project's JVM
 * flags and report the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2) // Chronicle needs the project's JVM flags in the fork: kplane bench / WalSyncReport pass them
public class WalSyncBenchmark {

    @Param({"1", "8", "64", "256", "1024"})
    public int batch;

    @Param({"256"})
    public int entryBytes;

    /** Where the files go (default: java.io.tmpdir). Same file system for all three. */
    @Param({""})
    public String dir;

    private Path root;
    private WriteAheadLog wal;
    private byte[] payload;
    private long nextIndex = 1;
    private long bytesSinceRelease;

    private FileChannel floorChannel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(4096);
    private long floorOffset;
    private static final long FLOOR_FILE_BYTES = 64L << 20;

    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private Bytes<?> chronicleBytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
        root = Files.createTempDirectory(base, "kplane-walbench");
        payload = new byte[entryBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        wal = WriteAheadLog.open(root.resolve("wal"), WalSyncMode.FSYNC, WriteAheadLog.DEFAULT_SEGMENT_BYTES);

        floorChannel = FileChannel.open(root.resolve("floor"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long p = 0; p < FLOOR_FILE_BYTES; p += zeros.capacity()) {
            zeros.clear();
            floorChannel.write(zeros, p);
        }
        floorChannel.force(true);

        queue = SingleChronicleQueueBuilder.single(root.resolve("chronicle").toFile())
                .rollCycle(RollCycles.FAST_DAILY).syncMode(SyncMode.SYNC).build();
        appender = queue.createAppender();
        chronicleBytes = Bytes.wrapForRead(payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        wal.close();
        floorChannel.close();
        appender.close();
        queue.close();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One durable 4 KiB write: the disk's floor for one group commit. */
    @Benchmark
    public void fdatasyncFloor() throws IOException {
        block.clear();
        floorChannel.write(block, floorOffset);
        floorOffset = (floorOffset + 4096) % FLOOR_FILE_BYTES;
        floorChannel.force(false);
    }

    /** {@code batch} entries, one sync. */
    @Benchmark
    public long walAppendSync() {
        for (int i = 0; i < batch; i++) {
            wal.append(new WalEntry(nextIndex++, 1, (byte) 0, payload));
        }
        wal.sync();
        bytesSinceRelease += (long) batch * (entryBytes + 26);
        if (bytesSinceRelease > (256L << 20)) {
            // Keep the disk footprint bounded, as a running member does with snapshots.
            wal.saveSnapshot(new SnapshotFile(nextIndex - 1, 1, new byte[0], new byte[0]));
            wal.releaseTo(nextIndex - 1);
            bytesSinceRelease = 0;
        }
        return nextIndex;
    }

    /** The same batch in Chronicle Queue with SyncMode.SYNC. */
    @Benchmark
    public void chronicleAppendSync() {
        for (int i = 0; i < batch; i++) {
            chronicleBytes.readPosition(0);
            appender.writeBytes(chronicleBytes);
        }
        appender.sync();
    }
}
