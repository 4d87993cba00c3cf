package io.kplane.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
        try {
            return decode(PeerCall.call(peer, PeerWire.OP_MEMBERS, new byte[0], timeoutMs));
        } catch (PeerCall.Refused e) {
            throw new IOException(peer + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(peer + " sent a malformed member list: " + e.getMessage(), e);
        }
    }
}
