package io.kplane.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One token-free admin request to another member's peer port ({@link PeerWire#ADMIN_REQUEST} with
 * an op that needs no admin token: {@link PeerWire#OP_MEMBERS}, {@link PeerWire#OP_PROMOTE}), on a
 * connection of its own, blocking. Members use it for the rare requests etcd serves on its peer URL
 * ({@code /members}, {@code /members/promote}); Raft traffic never goes this way. Over TLS when the
 * member's peers use it ({@link PeerTls}), presenting the member's own certificate.
 */
final class PeerCall {

    /** The peer answered with an error; the message is its text ("ExceptionClass: detail"). */
    static final class Refused extends IOException {
        Refused(String answer) {
            super(answer);
        }
    }

    private PeerCall() {
    }

    /**
     * Sends {@code op} with {@code body} and returns the answer's body.
     *
     * @param tls        the member's peer TLS, or null for plaintext
     * @throws Refused     if the peer answered with an error
     * @throws IOException if it could not be reached or did not answer as a kplane peer port
     */
    static byte[] call(InetSocketAddress peer, PeerTls tls, byte op, byte[] body, int timeoutMs) throws IOException {
        try (Socket socket = tls == null ? new Socket() : tls.connect(peer, timeoutMs)) {
            if (tls == null) {
                socket.connect(peer, timeoutMs);
                socket.setSoTimeout(timeoutMs);
            }
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(1 + 8 + 1 + body.length);
            out.writeByte(PeerWire.ADMIN_REQUEST);
            out.writeLong(1);
            out.writeByte(op);
            out.write(body);
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            int length = in.readInt();
            if (length < 10 || length > PeerWire.MAX_FRAME_BYTES) {
                throw new IOException(peer + " answered a frame of " + length + " bytes: not a kplane store peer port?");
            }
            byte kind = in.readByte();
            in.readLong();
            byte status = in.readByte();
            byte[] payload = new byte[length - 10];
            in.readFully(payload);
            if (kind != PeerWire.ADMIN_RESPONSE) {
                throw new IOException(peer + " answered frame kind " + kind + ", not an admin response");
            }
            if (status != 0) {
                throw new Refused(new String(payload, StandardCharsets.UTF_8));
            }
            return payload;
        }
    }
}
