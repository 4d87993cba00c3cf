package io.kplane.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The identity a data dir was created with ({@code DIR/member.properties}: cluster id, member id,
 * name), checked at every start so that a member is never started on another cluster's or another
 * member's data; and an exclusive lock ({@code DIR/lock}) so two processes never share a data dir.
 *
 * <p>The identity of a new member is written only after its WAL has been bootstrapped and synced
 * ({@link #recordIfNew}), so an identity file proves that the member had a log: finding the file
 * without a WAL means the log was lost, and the member must not start afresh as a voter.
 */
public final class DataDirIdentity implements AutoCloseable {

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path dir;
    private final Properties identity;
    private boolean existed;

    private DataDirIdentity(FileChannel lockChannel, FileLock lock, Path dir, Properties identity, boolean existed) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.dir = dir;
        this.identity = identity;
        this.existed = existed;
    }

    /** True when the data dir already had this member's identity (it was bootstrapped before). */
    public boolean existed() {
        return existed;
    }

    /**
     * Writes the identity durably if the dir did not have it yet. Call after the WAL holds the
     * member's bootstrap state, never before.
     */
    public void recordIfNew() {
        if (existed) {
            return;
        }
        try {
            Path file = dir.resolve("member.properties");
            Path tmp = dir.resolve("member.properties.tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                identity.store(w, "kplane store member identity: do not edit");
            }
            try (FileChannel f = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                f.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            existed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the member identity in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The identity a data dir records: the cluster and member it belongs to. */
    public record Recorded(long clusterId, long memberId, String name) {}

    /**
     * The identity {@code dir} records, or null if it has none (a new member, or one whose first
     * start did not get as far as writing it). Reads without locking: {@link #claim} still checks.
     */
    public static Recorded recorded(Path dir) throws IOException {
        Path file = dir.resolve("member.properties");
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return new Recorded(Long.parseUnsignedLong(p.getProperty("cluster-id"), 16),
                    Long.parseUnsignedLong(p.getProperty("member-id"), 16), p.getProperty("name", ""));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a member identity: " + e.getMessage(), e);
        }
    }

    /**
     * Locks {@code dir} and checks its identity if it has one (a new one is written by {@link #recordIfNew}).
     *
     * @throws DataDirMismatchException if the dir belongs to another cluster or member, or is in use
     */
    public static DataDirIdentity claim(Path dir, long clusterId, long memberId, String name) {
        try {
            io.kplane.wal.WriteAheadLog.createDirectoryDurably(dir);
            FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new DataDirMismatchException("data dir " + dir + " is in use by another running member");
            }
            Path file = dir.resolve("member.properties");
            if (Files.exists(file)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                String c = p.getProperty("cluster-id");
                String m = p.getProperty("member-id");
                if (!Long.toHexString(clusterId).equals(c)) {
                    lock.release();
                    ch.close();
                    throw new DataDirMismatchException("data dir " + dir + " belongs to cluster " + c + " (member "
                            + p.getProperty("name") + "), but --initial-cluster describes cluster "
                            + Long.toHexString(clusterId) + "; use a fresh --data-dir or the original cluster spec");
                }
                if (!Long.toHexString(memberId).equals(m)) {
                    lock.release();
                    ch.close();
                    throw new DataDirMismatchException("data dir " + dir + " belongs to member " + p.getProperty("name")
                            + " (" + m + "), not to " + name + " (" + Long.toHexString(memberId) + ")");
                }
            }
            Properties p = new Properties();
            p.setProperty("cluster-id", Long.toHexString(clusterId));
            p.setProperty("member-id", Long.toHexString(memberId));
            p.setProperty("name", name);
            return new DataDirIdentity(ch, lock, dir, p, Files.exists(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data dir " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
