package io.kplane.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The cluster id and member list that a member answers on its peer port ({@link PeerWire#OP_MEMBERS}),
 * as etcd serves {@code /members} on its peer URL: what a member started with
 * {@code --initial-cluster-state existing} learns before it joins — the cluster it joins, its own
 * id (chosen by MemberAdd, found by its peer URL) and its peers. It needs no admin token: it is what
 * every peer may know, and it changes nothing.
 */
public record ClusterMembers(long clusterId, List<Member> members) {

    public ClusterMembers {
        members = List.copyOf(members);
    }

    public byte[] encode() {
        byte[] all = Member.encodeAll(members);
        return ByteBuffer.allocate(8 + all.length).putLong(clusterId).put(all).array();
    }

    /** @throws IllegalArgumentException if the bytes are not a member list */
    public static ClusterMembers decode(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new ClusterMembers(b.getLong(), Member.decodeAll(b));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated member list", e);
        }
    }

    /** The member reached at {@code peerUrl}, or null if none is. */
    public Member byPeerUrl(String peerUrl) {
        for (Member m : members) {
            if (m.peerUrls().contains(peerUrl)) {
                return m;
            }
        }
        return null;
    }

    /** Asks the member listening on {@code peer} (its peer port) for the cluster's members. */
    public static ClusterMembers fetch(InetSocketAddress peer, int timeoutMs) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(peer, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(1 + 8 + 1);
            out.writeByte(PeerWire.ADMIN_REQUEST);
            out.writeLong(1);
            out.writeByte(PeerWire.OP_MEMBERS);
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
                throw new IOException(peer + " answered frame kind " + kind + ", not a member list");
            }
            if (status != 0) {
                throw new IOException(peer + ": " + new String(payload, StandardCharsets.UTF_8));
            }
            return decode(payload);
        } catch (IllegalArgumentException e) {
            throw new IOException(peer + " sent a malformed member list: " + e.getMessage(), e);
        }
    }
}
