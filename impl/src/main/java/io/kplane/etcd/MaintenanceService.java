package io.kplane.etcd;

import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.MvccStore;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Maintenance service: Status, Hash, HashKV, Defragment and MoveLeader (Alarm and Snapshot
 * answer UNIMPLEMENTED here).
 */
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

    /**
     * HashKV: the hash of the MVCC state a revision serves ({@link MvccStore#hashKv}), on a reader
     * thread. Members that applied the same log answer alike: a differing hash finds a corrupt one.
     */
    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
        KvService.reply(kv.read(true, store -> {
            long[] h = store.hashKv(request.getRevision());
            return HashKVResponse.newBuilder().setHeader(headers.of(h[2])).setHash((int) h[0])
                    .setCompactRevision(h[1]).build();
        }), out, resp -> resp);
    }

    /**
     * Hash: etcd hashes its whole backend (keys, leases, members); here the keyspace hash at the
     * current revision combined with the leases and their TTLs.
     */
    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> out) {
        CompletableFuture<long[]> keys = kv.read(true, store -> store.hashKv(0));
        CompletableFuture<Map<Long, Long>> leases = kv.readOnOwner(true, MvccStore::leaseTtls);
        KvService.reply(keys.thenCombine(leases, (h, ttls) -> {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            crc.update(b.putLong(h[0]).array(), 0, 8);
            ttls.forEach((id, ttl) -> {
                b.clear();
                crc.update(b.putLong(id).putLong(ttl).array());
            });
            return HashResponse.newBuilder().setHeader(headers.of(h[2])).setHash((int) crc.getValue()).build();
        }), out, resp -> resp);
    }

    /**
     * Defragment: there is no database file to rewrite; what a member can give back is the history a
     * compaction has not yet dropped (it drops it in slices, {@link MvccStore#compactionStep}). Each
     * slice is its own short task on the owner thread, so the member keeps applying in between.
     */
    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
        KvService.reply(defragSlices(), out, r -> r);
    }

    private CompletableFuture<DefragmentResponse> defragSlices() {
        return kv.readOnOwner(true, store -> store.compactionStep(MvccStore.COMPACTION_BATCH_REVISIONS))
                .thenCompose(dropped -> dropped > 0 ? defragSlices()
                        : kv.read(true, MvccStore::publishedRevision)
                                .thenApply(rev -> DefragmentResponse.newBuilder().setHeader(headers.of(rev)).build()));
    }

    /** MoveLeader: as etcd, only the leader may hand leadership on, and only to a voting member. */
    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
        ReplicaStatus s = replica.status();
        if (!s.isLeader()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("etcdserver: not leader").asRuntimeException());
            return;
        }
        long target = request.getTargetID();
        boolean voter = s.members().stream().anyMatch(m -> m.id() == target && !m.isLearner());
        if (!voter) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("etcdserver: bad leader transferee").asRuntimeException());
            return;
        }
        KvService.reply(replica.moveLeader(target).thenCompose(leader -> {
            if (leader != target) {
                throw Status.UNAVAILABLE.withDescription("etcdserver: request timed out, leader transfer took too long")
                        .asRuntimeException();
            }
            return kv.read(true, MvccStore::publishedRevision);
        }).thenApply(rev -> MoveLeaderResponse.newBuilder().setHeader(headers.of(rev)).build()), out, resp -> resp);
    }
}
