package io.kplane.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster member as etcd's Cluster API describes it.
 *
 * @param id         the member id (initial members: stable hash of cluster token, name and peer URL;
 *                   added members: chosen by MemberAdd)
 * @param name       the human name, e.g. {@code n1}; empty for a member added but not yet started
 * @param peerUrls   where peers reach it, e.g. {@code http://127.0.0.1:2380}
 * @param clientUrls where clients reach it (empty until the member published them)
 * @param isLearner  true for a non-voting member
 */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean isLearner) {
    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    public Member withPeerUrls(List<String> urls) {
        return new Member(id, name, urls, clientUrls, isLearner);
    }

    public Member withAttributes(String newName, List<String> urls) {
        return new Member(id, newName, peerUrls, urls, isLearner);
    }

    public Member asVoter() {
        return new Member(id, name, peerUrls, clientUrls, false);
    }

    /** The first peer URL's host:port (members are reached on their first peer URL). */
    public java.net.InetSocketAddress peerAddress() {
        String url = peerUrls.get(0).replaceFirst("^[a-z]+://", "");
        if (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        int colon = url.lastIndexOf(':');
        return new java.net.InetSocketAddress(url.substring(0, colon), Integer.parseInt(url.substring(colon + 1)));
    }

    /** {@code u64 id | u8 learner | str name | u16 n, str peerUrl... | u16 n, str clientUrl...}, strings as u16 length + UTF-8. */
    public void encode(ByteBuffer b) {
        b.putLong(id).put((byte) (isLearner ? 1 : 0));
        putString(b, name);
        b.putShort((short) peerUrls.size());
        peerUrls.forEach(u -> putString(b, u));
        b.putShort((short) clientUrls.size());
        clientUrls.forEach(u -> putString(b, u));
    }

    public int encodedSize() {
        int n = 8 + 1 + 2 + utf8(name).length + 2 + 2;
        for (String u : peerUrls) {
            n += 2 + utf8(u).length;
        }
        for (String u : clientUrls) {
            n += 2 + utf8(u).length;
        }
        return n;
    }

    /** @throws IllegalArgumentException if the bytes are not a member */
    public static Member decode(ByteBuffer b) {
        try {
            long id = b.getLong();
            boolean learner = b.get() != 0;
            String name = getString(b);
            List<String> peers = new ArrayList<>();
            for (int i = b.getShort(); i > 0; i--) {
                peers.add(getString(b));
            }
            List<String> clients = new ArrayList<>();
            for (int i = b.getShort(); i > 0; i--) {
                clients.add(getString(b));
            }
            return new Member(id, name, peers, clients, learner);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated member record", e);
        }
    }

    /** A list of members: {@code u32 count | member...}. */
    public static byte[] encodeAll(List<Member> members) {
        int size = 4;
        for (Member m : members) {
            size += m.encodedSize();
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(members.size());
        members.forEach(m -> m.encode(b));
        return b.array();
    }

    public static List<Member> decodeAll(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > 10_000) {
            throw new IllegalArgumentException("bad member count " + n);
        }
        List<Member> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(decode(b));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = utf8(s);
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
