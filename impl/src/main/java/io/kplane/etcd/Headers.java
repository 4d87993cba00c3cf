package io.kplane.etcd;

import io.etcd.jetcd.api.ResponseHeader;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;

/** Fills response headers like etcd: cluster id, member id and Raft term around the store revision. */
final class Headers {
    private final Replica replica;

    Headers(Replica replica) {
        this.replica = replica;
    }

    ResponseHeader of(long revision) {
        ReplicaStatus s = replica.status();
        return ResponseHeader.newBuilder().setClusterId(s.clusterId()).setMemberId(s.memberId())
                .setRaftTerm(s.term()).setRevision(revision).build();
    }

    ResponseHeader fill(ResponseHeader h) {
        return of(h.getRevision());
    }
}
