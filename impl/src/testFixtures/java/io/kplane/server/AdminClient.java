package io.kplane.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A blocking client for the admin requests of the peer port ({@link PeerWire#ADMIN_REQUEST}):
 * propose a command, read a member's status ({@link AdminStatus}). A test fixture; one request at a time.
 * Every request carries the member's {@link AdminToken}; a request without it is refused. A member
 * with peer TLS is asked over TLS ({@link PeerTls}), the client presenting that certificate.
 */
public final class AdminClient implements AutoCloseable {

    /** The member answered with an error (e.g. no leader, timeout). */
    public static final class AdminException extends IOException {
        public AdminException(String message) {
            super(message);
        }
    }

    private final byte[] token;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private long nextRequestId = 1;

    /** Connects to a member's peer port; {@code token} is the one it issued ({@link AdminToken}). */
    public AdminClient(InetSocketAddress address, byte[] token, int timeoutMs) throws IOException {
        this(address, token, null, timeoutMs);
    }

    /** Connects to a member's peer port over TLS ({@code tls} null: plaintext). */
    public AdminClient(InetSocketAddress address, byte[] token, PeerTls tls, int timeoutMs) throws IOException {
        this.token = token.clone();
        if (tls == null) {
            socket = new Socket();
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs);
        } else {
            socket = tls.connect(address, timeoutMs);
        }
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    /** Connects to the member whose data dir is {@code dataDir}, with the token it issued there. */
    public static AdminClient forDataDir(InetSocketAddress address, java.nio.file.Path dataDir, int timeoutMs)
            throws IOException {
        return new AdminClient(address, AdminToken.read(dataDir), timeoutMs);
    }

    /** As {@link #forDataDir(InetSocketAddress, java.nio.file.Path, int)}, over peer TLS. */
    public static AdminClient forDataDir(InetSocketAddress address, java.nio.file.Path dataDir, PeerTls tls, int timeoutMs)
            throws IOException {
        return new AdminClient(address, AdminToken.read(dataDir), tls, timeoutMs);
    }

    /** Proposes {@code command} through this member; returns the state machine's response. */
    public byte[] propose(byte[] command) throws IOException {
        return request(PeerWire.OP_PROPOSE, command);
    }

    /** This member's status. */
    public AdminStatus status() throws IOException {
        return AdminStatus.decode(request(PeerWire.OP_STATUS, new byte[0]));
    }

    /** Runs a linearizable read barrier; returns the applied index after it. */
    public long readBarrier() throws IOException {
        return ByteBuffer.wrap(request(PeerWire.OP_READ_BARRIER, new byte[0])).getLong();
    }

    private byte[] request(byte op, byte[] body) throws IOException {
        long id = nextRequestId++;
        out.writeInt(1 + 8 + 1 + token.length + body.length);
        out.writeByte(PeerWire.ADMIN_REQUEST);
        out.writeLong(id);
        out.writeByte(op);
        out.write(token);
        out.write(body);
        out.flush();
        int length = in.readInt();
        byte kind = in.readByte();
        long responseId = in.readLong();
        byte status = in.readByte();
        byte[] payload = new byte[length - 10];
        in.readFully(payload);
        if (kind != PeerWire.ADMIN_RESPONSE || responseId != id) {
            throw new IOException("unexpected admin response kind " + kind + " id " + responseId);
        }
        if (status != 0) {
            throw new AdminException(new String(payload, StandardCharsets.UTF_8));
        }
        return payload;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
