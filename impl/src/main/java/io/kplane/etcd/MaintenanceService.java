package io.kplane.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.KvCommand;
import io.kplane.kv.MvccStore;
import io.kplane.server.BackupFile;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;
import io.kplane.server.StateMachine;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * etcd's Maintenance service: Status, Alarm (the NOSPACE alarm of {@link SpaceQuota}), Snapshot
 * (a {@link BackupFile} streamed in chunks, restorable with {@code kplane store --restore}), Hash,
 * HashKV, Defragment and MoveLeader.
 */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The etcd API version kplane speaks; clients such as etcdctl and kube-apiserver read it. */
    static final String API_VERSION = "3.4.0";
    /** etcd streams its snapshot in 32 KiB messages. */
    static final int SNAPSHOT_CHUNK_BYTES = 32 * 1024;
    private static final int CAPTURE_ATTEMPTS = 5;

    private final KvService kv;
    private final Replica replica;
    private final Headers headers;
    private final Executor serializer;

    MaintenanceService(KvService kv, Replica replica, Headers headers, Executor serializer) {
        this.kv = kv;
        this.replica = replica;
        this.headers = headers;
        this.serializer = serializer;
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

    /** Every action goes through Raft, as in etcd: a list is linearizable, a raise or disarm replicated. */
    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
        KvService.reply(kv.write(KvCommand.ALARM, request, AlarmResponse.parser()), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    /**
     * The member's state at one applied index: captured on the member's thread, serialized on
     * another (retaken if a compaction disturbed it), and streamed in {@link #SNAPSHOT_CHUNK_BYTES}
     * pieces as the client takes them, with the SHA-256 in the last message (as etcd does).
     */
    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
        ServerCallStreamObserver<SnapshotResponse> call = (ServerCallStreamObserver<SnapshotResponse>) out;
        ChunkedSender sender = new ChunkedSender(call);
        call.setOnReadyHandler(sender); // only allowed here, before this method returns
        serializedState(CAPTURE_ATTEMPTS).whenComplete((state, error) -> {
            if (error != null) {
                out.onError(EtcdErrors.toStatus(error));
            } else {
                sender.start(state);
            }
        });
    }

    private CompletableFuture<byte[]> serializedState(int attempts) {
        return replica.query(StateMachine::capture).thenComposeAsync(capture -> {
            byte[] bytes = capture.serialize();
            return replica.query(sm -> capture.stillValid()).thenCompose(valid -> {
                if (valid) {
                    return CompletableFuture.completedFuture(bytes);
                }
                if (attempts <= 1) {
                    return CompletableFuture.failedFuture(new IllegalStateException(
                            "snapshot: compactions kept disturbing the capture; retry"));
                }
                return serializedState(attempts - 1);
            });
        }, serializer);
    }

    /** Sends header, state and checksum in chunks, only while the client's stream is ready. */
    private static final class ChunkedSender implements Runnable {
        private final ServerCallStreamObserver<SnapshotResponse> call;
        private byte[] header;
        private byte[] state;
        private final MessageDigest digest = BackupFile.sha256();
        private long total;
        private long sent;
        private boolean done;

        ChunkedSender(ServerCallStreamObserver<SnapshotResponse> call) {
            this.call = call;
        }

        synchronized void start(byte[] state) {
            this.state = state;
            this.header = BackupFile.header(state.length);
            this.total = header.length + (long) state.length + BackupFile.padding(state.length) + BackupFile.TRAILER_BYTES;
            run();
        }

        @Override
        public synchronized void run() {
            while (state != null && !done && call.isReady() && !call.isCancelled()) {
                byte[] chunk = next();
                sent += chunk.length;
                call.onNext(SnapshotResponse.newBuilder().setRemainingBytes(total - sent)
                        .setBlob(ByteString.copyFrom(chunk)).build());
                if (sent == total) {
                    done = true;
                    call.onCompleted();
                }
            }
        }

        private byte[] next() {
            long stateEnd = header.length + (long) state.length;
            if (sent < header.length) {
                digest.update(header);
                return header;
            }
            if (sent < stateEnd) {
                int from = (int) (sent - header.length);
                int n = Math.min(SNAPSHOT_CHUNK_BYTES, state.length - from);
                byte[] chunk = java.util.Arrays.copyOfRange(state, from, from + n);
                digest.update(chunk);
                return chunk;
            }
            if (sent == stateEnd && BackupFile.padding(state.length) > 0) {
                byte[] pad = new byte[BackupFile.padding(state.length)];
                digest.update(pad);
                return pad;
            }
            return digest.digest();
        }
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
