package io.kplane.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The initial cluster: member names and peer addresses, from {@code --initial-cluster
 * n1=127.0.0.1:2380,n2=127.0.0.1:2381,...}, and the ids derived from them.
 *
 * <p>Ids are stable hashes (SHA-256, first 8 bytes, sign bit cleared, never 0): a member's id from the cluster token,
 * its name and its peer URL; the cluster id from the token and the sorted member ids. Every member
 * started with the same spec computes the same ids, so no id exchange is needed at bootstrap, and
 * a data dir records the cluster id to catch a member pointed at another cluster's data.
 */
public record ClusterSpec(String token, List<Peer> peers, long joinedClusterId, List<Member> joinedMembers) {

    /**
     * One member of the initial cluster.
     *
     * @param tls true for an {@code https://} peer URL: it is reached over peer TLS ({@link PeerTls})
     */
    public record Peer(String name, String host, int port, long id, boolean tls) {
        public String peerUrl() {
            return (tls ? "https://" : "http://") + host + ":" + port;
        }

        public InetSocketAddress address() {
            return new InetSocketAddress(host, port);
        }
    }

    public ClusterSpec {
        peers = List.copyOf(peers);
        joinedMembers = List.copyOf(joinedMembers);
    }

    /** An initial cluster of a new cluster ({@code --initial-cluster-state new}). */
    public ClusterSpec(String token, List<Peer> peers) {
        this(token, peers, 0, List.of());
    }

    /**
     * The spec of a member joining an existing cluster ({@code --initial-cluster-state existing}):
     * the cluster's id and members as one of its members reported them, this member among them
     * (added by MemberAdd). {@code peers} then carry the members' real ids.
     */
    public static ClusterSpec joined(String token, long clusterId, List<Member> members, long selfId, String selfName) {
        List<Peer> peers = new ArrayList<>();
        for (Member m : members) {
            java.net.InetSocketAddress a = m.peerAddress();
            String name = m.id() == selfId ? selfName : m.name().isEmpty() ? Long.toHexString(m.id()) : m.name();
            peers.add(new Peer(name, a.getHostString(), a.getPort(), m.id(), m.peerUrls().get(0).startsWith("https://")));
        }
        return new ClusterSpec(token, peers, clusterId, members);
    }

    /** True for a member joining an existing cluster: it starts with an empty log, no bootstrap. */
    public boolean joining() {
        return joinedClusterId != 0;
    }

    /**
     * Parses {@code name=host:port[,name=host:port...]}: an {@code http://} prefix is allowed, an
     * {@code https://} one makes the peer URL https (peer TLS). As with etcd, the URL is part of the
     * member id, so the same addresses over https are other members than over http.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and where
     */
    public static ClusterSpec parse(String spec, String token) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--initial-cluster is empty; expected name=host:port[,name=host:port...]");
        }
        Map<String, Peer> byName = new LinkedHashMap<>();
        Set<String> addresses = new HashSet<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("bad --initial-cluster entry '" + item + "': expected name=host:port");
            }
            String name = item.substring(0, eq).trim();
            String url = item.substring(eq + 1).trim();
            boolean tls = url.startsWith("https://");
            if (url.startsWith("http://") || tls) {
                url = url.substring(url.indexOf("://") + 3);
            } else if (url.contains("://")) {
                throw new IllegalArgumentException("bad --initial-cluster entry '" + item + "': only http:// and https:// peer URLs are supported");
            }
            if (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            int colon = url.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bad --initial-cluster entry '" + item + "': missing port in '" + url + "'");
            }
            String host = url.substring(0, colon);
            int port;
            try {
                port = Integer.parseInt(url.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad --initial-cluster entry '" + item + "': port '" + url.substring(colon + 1) + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad --initial-cluster entry '" + item + "': port " + port + " out of range 1-65535");
            }
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException("--initial-cluster names member '" + name + "' twice");
            }
            if (!addresses.add(host + ":" + port)) {
                throw new IllegalArgumentException("--initial-cluster uses address " + host + ":" + port + " twice");
            }
            Peer p = new Peer(name, host, port, 0, tls);
            byName.put(name, new Peer(name, host, port, memberId(token, name, p.peerUrl()), tls));
        }
        return new ClusterSpec(token, new ArrayList<>(byName.values()));
    }

    /** The member called {@code name}. */
    public Peer member(String name) {
        for (Peer p : peers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        List<String> names = peers.stream().map(Peer::name).toList();
        throw new IllegalArgumentException("--name " + name + " is not in --initial-cluster (members: " + String.join(", ", names) + ")");
    }

    /** The member with id {@code id}, or null. */
    public Peer byId(long id) {
        for (Peer p : peers) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    /** The cluster id: a hash of the token and the sorted member ids. */
    public long clusterId() {
        if (joinedClusterId != 0) {
            return joinedClusterId;
        }
        long[] ids = peers.stream().mapToLong(Peer::id).sorted().toArray();
        StringBuilder b = new StringBuilder("kplane-cluster\0").append(token);
        for (long id : ids) {
            b.append('\0').append(Long.toHexString(id));
        }
        return hash(b.toString());
    }

    /** The ids of all members. */
    public List<Long> ids() {
        return peers.stream().map(Peer::id).toList();
    }

    /** This spec as {@link Member}s (client URLs are not known here). */
    public List<Member> members() {
        if (joining()) {
            return joinedMembers;
        }
        return peers.stream().map(p -> new Member(p.id(), p.name(), List.of(p.peerUrl()), List.of(), false)).toList();
    }

    static long memberId(String token, String name, String peerUrl) {
        return hash("kplane-member\0" + token + "\0" + name + "\0" + peerUrl);
    }

    private static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            v &= Long.MAX_VALUE; // Raft ids are positive
            return v == 0 ? 1 : v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
