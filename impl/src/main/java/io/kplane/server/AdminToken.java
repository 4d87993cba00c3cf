package io.kplane.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that admin requests on the peer port must carry ({@link PeerWire#ADMIN_REQUEST}):
 * without it anyone who can reach the port could propose raw commands. A member issues a fresh
 * random token at every start into {@code DATA_DIR/admin.token}, readable by its owner only;
 * the test fixtures' {@code AdminClient} reads it from there. So the admin port is as reachable as the data dir is
 * readable — the same bar as the WAL itself.
 */
public final class AdminToken {
    /** Token length in bytes (hex in the file). */
    public static final int BYTES = 32;
    static final String FILE = "admin.token";

    private AdminToken() {
    }

    /** Writes a new token for the member whose data dir is {@code dataDir} and returns it. */
    public static byte[] issue(Path dataDir) {
        byte[] token = new byte[BYTES];
        new SecureRandom().nextBytes(token);
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, HexFormat.of().formatHex(token));
            Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token in " + dataDir, e);
        }
        return token;
    }

    /** The token the member of {@code dataDir} issued when it last started. */
    public static byte[] read(Path dataDir) throws IOException {
        return HexFormat.of().parseHex(Files.readString(dataDir.resolve(FILE), StandardCharsets.US_ASCII).trim());
    }

    /** Constant-time: whether {@code request} starts with {@code token}. */
    static boolean presentedIn(byte[] token, byte[] request) {
        if (request.length < BYTES) {
            return false;
        }
        return MessageDigest.isEqual(token, java.util.Arrays.copyOf(request, BYTES));
    }
}
