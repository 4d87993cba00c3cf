package io.kplane.etcd;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberPromoteResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.MvccStore;
import io.kplane.server.MembershipChange;
import io.kplane.server.Replica;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * etcd's Cluster service: MemberList, and MemberAdd (voter or learner), MemberRemove, MemberUpdate
 * (peer URLs) and MemberPromote (learner to voter) at runtime, carried out as Raft conf changes by
 * the member's agent ({@link Replica#changeMembership}) with etcd's checks and errors.
 */
final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final KvService kv;
    private final Replica replica;
    private final Headers headers;
    private volatile String selfUrl;

    ClusterService(KvService kv, Replica replica, Headers headers) {
        this.kv = kv;
        this.replica = replica;
        this.headers = headers;
    }

    /** This member's own client URL, reported when the runtime does not know client URLs. */
    void setSelfUrl(String url) {
        this.selfUrl = url;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        KvService.reply(kv.read(true, MvccStore::publishedRevision).thenApply(rev -> MemberListResponse.newBuilder()
                .setHeader(headers.of(0)) // etcd: no revision
                .addAllMembers(toEtcd(replica.status().members())).build()), out, resp -> resp);
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        List<String> urls = request.getPeerURLsList();
        if (!validUrls(urls, out)) {
            return;
        }
        io.kplane.server.Member m = new io.kplane.server.Member(newMemberId(urls, replica.status().clusterId()), "",
                urls, List.of(), request.getIsLearner());
        KvService.reply(replica.changeMembership(new MembershipChange(MembershipChange.Kind.ADD, m))
                .thenApply(members -> MemberAddResponse.newBuilder().setHeader(headers.of(0))
                        .setMember(toEtcd(List.of(m)).get(0)).addAllMembers(toEtcd(members)).build()), out, r -> r);
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        KvService.reply(replica.changeMembership(new MembershipChange(MembershipChange.Kind.REMOVE, byId(request.getID())))
                .thenApply(members -> MemberRemoveResponse.newBuilder().setHeader(headers.of(0))
                        .addAllMembers(toEtcd(members)).build()), out, r -> r);
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        if (!validUrls(request.getPeerURLsList(), out)) {
            return;
        }
        io.kplane.server.Member m = new io.kplane.server.Member(request.getID(), "", request.getPeerURLsList(),
                List.of(), false);
        KvService.reply(replica.changeMembership(new MembershipChange(MembershipChange.Kind.UPDATE, m))
                .thenApply(members -> MemberUpdateResponse.newBuilder().setHeader(headers.of(0))
                        .addAllMembers(toEtcd(members)).build()), out, r -> r);
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        KvService.reply(replica.changeMembership(new MembershipChange(MembershipChange.Kind.PROMOTE, byId(request.getID())))
                .thenApply(members -> MemberPromoteResponse.newBuilder().setHeader(headers.of(0))
                        .addAllMembers(toEtcd(members)).build()), out, r -> r);
    }

    private static io.kplane.server.Member byId(long id) {
        return new io.kplane.server.Member(id, "", List.of(), List.of(), false);
    }

    /**
     * etcd's check: every peer URL is an absolute URL with a host and a port. Like etcd 3.4, the
     * scheme is not compared with the other members' (an http:// member may be added to a
     * cluster whose peers use TLS, and the reverse; MembershipInteropTest): the member that then
     * starts with peer TLS flags that do not fit the member list is refused at its start. One
     * difference: etcd also accepts unix:// and unixs:// peer URLs; kplane's peer transport is TCP
     * only, so they are invalid here.
     */
    private static boolean validUrls(List<String> urls, StreamObserver<?> out) {
        boolean ok = !urls.isEmpty();
        for (String u : urls) {
            try {
                URI uri = new URI(u);
                ok &= ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getPort() > 0;
            } catch (java.net.URISyntaxException e) {
                ok = false;
            }
        }
        if (!ok) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("etcdserver: given member URLs are invalid").asRuntimeException());
        }
        return ok;
    }

    /** Like etcd: a hash of the peer URLs, the cluster and the time, so a re-added URL gets a new id. */
    private static long newMemberId(List<String> urls, long clusterId) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String u : urls.stream().sorted().toList()) {
                d.update(u.getBytes(StandardCharsets.UTF_8));
            }
            d.update(Long.toString(clusterId).getBytes(StandardCharsets.UTF_8));
            d.update(Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
            byte[] h = d.digest();
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            v &= Long.MAX_VALUE;
            return v == 0 ? 1 : v;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Member> toEtcd(List<io.kplane.server.Member> members) {
        long self = replica.status().memberId();
        return members.stream().map(m -> Member.newBuilder().setID(m.id()).setName(m.name()).addAllPeerURLs(m.peerUrls())
                .addAllClientURLs(m.clientUrls().isEmpty() && m.id() == self && selfUrl != null
                        ? List.of(selfUrl) : m.clientUrls())
                .setIsLearner(m.isLearner()).build()).toList();
    }
}
