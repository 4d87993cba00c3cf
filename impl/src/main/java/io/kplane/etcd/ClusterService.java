package io.kplane.etcd;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.MvccStore;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;

/** etcd's Cluster service: MemberList (membership changes answer UNIMPLEMENTED). */
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
        KvService.reply(kv.read(true, MvccStore::publishedRevision).thenApply(rev -> {
            ReplicaStatus s = replica.status();
            MemberListResponse.Builder b = MemberListResponse.newBuilder().setHeader(headers.of(0)); // etcd: no revision
            for (io.kplane.server.Member m : s.members()) {
                b.addMembers(Member.newBuilder().setID(m.id()).setName(m.name()).addAllPeerURLs(m.peerUrls())
                        .addAllClientURLs(m.clientUrls().isEmpty() && m.id() == s.memberId() && selfUrl != null
                                ? java.util.List.of(selfUrl) : m.clientUrls())
                        .setIsLearner(m.isLearner()));
            }
            return b.build();
        }), out, resp -> resp);
    }
}
