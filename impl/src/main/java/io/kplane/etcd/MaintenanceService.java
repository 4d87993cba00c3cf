package io.kplane.etcd;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.MvccStore;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;

/** etcd's Maintenance service: Status (the rest answers UNIMPLEMENTED). */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The etcd API version kplane speaks; clients such as etcdctl and kube-apiserver read it. */
    static final String API_VERSION = "3.4.0";

    private final KvService kv;
    private final Replica replica;
    private final Headers headers;

    MaintenanceService(KvService kv, Replica replica, Headers headers) {
        this.kv = kv;
        this.replica = replica;
        this.headers = headers;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        KvService.reply(kv.read(true, MvccStore::publishedRevision).thenApply(rev -> {
            ReplicaStatus s = replica.status();
            long db = Math.max(0, s.dbSize());
            return StatusResponse.newBuilder().setHeader(headers.of(rev)).setVersion(API_VERSION)
                    .setDbSize(db).setDbSizeInUse(db).setLeader(s.leaderId()).setRaftIndex(s.commitIndex())
                    .setRaftTerm(s.term()).setRaftAppliedIndex(s.appliedIndex()).build();
        }), out, resp -> resp);
    }
}
