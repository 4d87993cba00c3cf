package io.kplane.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The backup format of a member's state, as etcd's Maintenance.Snapshot streams it to
 * {@code etcdctl snapshot save} and {@code kplane store --restore FILE} reads it back:
 * {@code "KPBACKUP"} (8 bytes), version (4), length of the state (8), the state machine's snapshot
 * bytes, zero padding up to a multiple of 512 bytes, and — as etcd appends one to its snapshot
 * stream — the SHA-256 of everything before it (32). The padding is for {@code etcdctl snapshot
 * save}, which accepts only a stream whose length is 32 more than a multiple of 512 (a bolt file
 * plus its checksum). A truncated or altered file is refused with a clear error, never half-restored.
 */
public final class BackupFile {
    static final byte[] MAGIC = {'K', 'P', 'B', 'A', 'C', 'K', 'U', 'P'};
    static final int VERSION = 1;
    /** Bytes before the state. */
    public static final int HEADER_BYTES = 8 + 4 + 8;
    /** Bytes after the state: the SHA-256. */
    public static final int TRAILER_BYTES = 32;

    private BackupFile() {
    }

    /** The header for a state of {@code stateBytes} bytes. */
    public static byte[] header(long stateBytes) {
        return ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(VERSION).putLong(stateBytes).array();
    }

    /** Zero bytes after a state of {@code stateBytes} bytes, so that header + state + padding is a multiple of 512. */
    public static int padding(long stateBytes) {
        return (int) ((512 - (HEADER_BYTES + stateBytes) % 512) % 512);
    }

    /** A digest to feed the header and the state through; its {@code digest()} is the trailer. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The whole file for {@code state}, in one array (tests and small states). */
    public static byte[] encode(byte[] state) {
        byte[] header = header(state.length);
        int pad = padding(state.length);
        MessageDigest d = sha256();
        d.update(header);
        d.update(state);
        d.update(new byte[pad]);
        byte[] out = new byte[HEADER_BYTES + state.length + pad + TRAILER_BYTES];
        System.arraycopy(header, 0, out, 0, HEADER_BYTES);
        System.arraycopy(state, 0, out, HEADER_BYTES, state.length);
        System.arraycopy(d.digest(), 0, out, HEADER_BYTES + state.length + pad, TRAILER_BYTES);
        return out;
    }

    /**
     * The state in {@code file}, after checking its format, length and checksum.
     *
     * @throws IllegalArgumentException with what is wrong (not a kplane backup, truncated, checksum mismatch)
     */
    public static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < HEADER_BYTES + TRAILER_BYTES) {
            throw new IllegalArgumentException(file + " is not a kplane snapshot: " + size + " bytes, too short");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(HEADER_BYTES);
            ByteBuffer h = ByteBuffer.wrap(header);
            byte[] magic = new byte[8];
            h.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + " is not a kplane snapshot (no KPBACKUP header); "
                        + "save one with 'etcdctl snapshot save FILE' against a kplane member");
            }
            int version = h.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(file + ": unsupported kplane snapshot version " + version);
            }
            long length = h.getLong();
            if (length < 0 || length + padding(length) != size - HEADER_BYTES - TRAILER_BYTES) {
                throw new IllegalArgumentException(file + " is truncated or has extra bytes: the header says " + length
                        + " bytes of state, the file has room for " + (size - HEADER_BYTES - TRAILER_BYTES));
            }
            if (length > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(file + ": a state of " + length + " bytes is too large to restore");
            }
            byte[] state = in.readNBytes((int) length);
            byte[] pad = in.readNBytes(padding(length));
            byte[] trailer = in.readNBytes(TRAILER_BYTES);
            MessageDigest d = sha256();
            d.update(header);
            d.update(state);
            d.update(pad);
            if (!MessageDigest.isEqual(d.digest(), trailer)) {
                throw new IllegalArgumentException(file + " is corrupt: its SHA-256 does not match");
            }
            return state;
        }
    }
}
