package io.kplane.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

    /**
     * Where a member keeps, in its data dir, the cluster id and member list its log starts from:
     * the initial cluster of a member that bootstrapped it, the list a peer answered for a member
     * that joined. Later changes are in its log and snapshots.
     */
    static final String FILE = "cluster-members";

    /**
     * Keeps this list in {@code dataDir} durably (written aside, synced, renamed), so that the
     * member restarts from its data dir without asking a peer and whatever {@code --initial-cluster}
     * says then, as etcd ignores {@code --initial-cluster*} once a data dir exists.
     */
    public void save(Path dataDir) throws IOException {
        io.kplane.wal.WriteAheadLog.createDirectoryDurably(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        try (FileChannel f = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            f.write(ByteBuffer.wrap(encode()));
            f.force(true);
        }
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** The list a member saved at its first start, or null if {@code dataDir} has none. */
    public static ClusterMembers saved(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return decode(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a member list: " + e.getMessage(), e);
        }
    }

    /**
     * Asks the member listening on {@code peer} (its peer port) for the cluster's members.
     *
     * @param tls this member's peer TLS, or null when the peer URL is http://
     */
    public static ClusterMembers fetch(InetSocketAddress peer, PeerTls tls, int timeoutMs) throws IOException {
        try {
            return decode(PeerCall.call(peer, tls, PeerWire.OP_MEMBERS, new byte[0], timeoutMs));
        } catch (PeerCall.Refused e) {
            throw new IOException(peer + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(peer + " sent a malformed member list: " + e.getMessage(), e);
        }
    }
}
