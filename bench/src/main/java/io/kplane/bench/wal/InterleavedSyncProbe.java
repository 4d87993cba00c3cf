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
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The WAL-to-floor ratio measured robustly on a shared, noisy machine: short slices of the
 * {@code fdatasync} floor and of WAL group commits alternate, so both see the same disk load, and
 * the ratio of each adjacent pair is taken; the result is the median over many rounds. (JMH runs
 * the two benchmarks minutes apart, which on a busy disk can swing the ratio several-fold.)
 */
public final class InterleavedSyncProbe {

    /**
     * Medians over the rounds.
     *
     * @param batch        entries per group commit
     * @param floorPerSec  4 KiB write + fdatasync per second
     * @param walPerSec    WAL group commits (append batch + sync) per second
     * @param ratio        median of per-round walPerSec / floorPerSec
     * @param ratioP25     25th percentile of the per-round ratios
     * @param ratioP75     75th percentile of the per-round ratios
     * @param rounds       rounds measured
     */
    public record Result(int batch, double floorPerSec, double walPerSec, double ratio, double ratioP25,
                         double ratioP75, int rounds) {
        public double walEntriesPerSec() {
            return walPerSec * batch;
        }
    }

    private InterleavedSyncProbe() {
    }

    public static Result measure(Path base, int batch, int entryBytes, Duration slice, int rounds) throws IOException {
        Path root = Files.createTempDirectory(base, "kplane-walprobe");
        try (WriteAheadLog wal = WriteAheadLog.open(root.resolve("wal"), WalSyncMode.FSYNC,
                WriteAheadLog.DEFAULT_SEGMENT_BYTES);
             FileChannel floor = FileChannel.open(root.resolve("floor"), StandardOpenOption.CREATE,
                     StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long floorBytes = 64L << 20;
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long p = 0; p < floorBytes; p += zeros.capacity()) {
                zeros.clear();
                floor.write(zeros, p);
            }
            floor.force(true);
            byte[] payload = new byte[entryBytes];
            ByteBuffer block = ByteBuffer.allocateDirect(4096);
            long sliceNs = slice.toNanos();
            double[] floors = new double[rounds];
            double[] wals = new double[rounds];
            double[] ratios = new double[rounds];
            long offset = 0;
            long index = 1;
            long written = 0;
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                long n = 0;
                long t0 = System.nanoTime();
                long t;
                do {
                    block.clear();
                    floor.write(block, offset);
                    offset = (offset + 4096) % floorBytes;
                    floor.force(false);
                    n++;
                } while ((t = System.nanoTime()) - t0 < sliceNs);
                double f = n * 1e9 / (t - t0);
                n = 0;
                t0 = System.nanoTime();
                do {
                    for (int i = 0; i < batch; i++) {
                        wal.append(new WalEntry(index++, 1, (byte) 0, payload));
                    }
                    wal.sync();
                    n++;
                    written += (long) batch * (entryBytes + 26);
                    if (written > (256L << 20)) {
                        wal.saveSnapshot(new SnapshotFile(index - 1, 1, new byte[0], new byte[0]));
                        wal.releaseTo(index - 1);
                        written = 0;
                    }
                } while ((t = System.nanoTime()) - t0 < sliceNs);
                double w = n * 1e9 / (t - t0);
                if (r >= 0) {
                    floors[r] = f;
                    wals[r] = w;
                    ratios[r] = w / f;
                }
            }
            return new Result(batch, median(floors), median(wals), median(ratios), percentile(ratios, 0.25),
                    percentile(ratios, 0.75), rounds);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    /** {@code java -cp benchmarks.jar io.kplane.bench.wal.InterleavedSyncProbe [rounds] [sliceMs]}. */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int sliceMs = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        System.out.printf("%6s %12s %14s %14s %10s %16s%n", "batch", "floor/s", "WAL batches/s", "WAL entries/s",
                "WAL/floor", "IQR of ratio");
        for (int batch : new int[] {1, 8, 64, 256, 1024}) {
            Result r = measure(base, batch, 256, Duration.ofMillis(sliceMs), rounds);
            System.out.printf("%6d %12.0f %14.0f %14.0f %10.2f %7.2f-%-8.2f%n", batch, r.floorPerSec(), r.walPerSec(),
                    r.walEntriesPerSec(), r.ratio(), r.ratioP25(), r.ratioP75());
        }
        System.out.println("256-byte entries; durability: fdatasync per batch (FileChannel.force(false)); medians of "
                + rounds + " interleaved rounds of " + sliceMs + " ms each");
    }
}
