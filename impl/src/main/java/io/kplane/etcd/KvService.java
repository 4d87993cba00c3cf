package io.kplane.etcd;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.KvCommand;
import io.kplane.kv.KvError;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RequestChecks;
import io.kplane.server.Replica;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * etcd's KV service. Writes are proposed as {@link KvCommand}s and answered with the state
 * machine's response once applied on this member; linearizable reads wait for a ReadIndex barrier
 * and then read the local store; serializable reads read it at once.
 *
 * <p>Ranges and read-only txns run on this service's reader threads against the store's published
 * revision ({@link MvccStore#rangePublished}), never on the member's Raft thread: a list of a
 * million keys, its counting and its encoding then cost the Raft thread nothing, so heartbeats and
 * ticks go on and a big read cannot cause an election.
 */
final class KvService extends KVGrpc.KVImplBase implements AutoCloseable {
    private final Replica replica;
    private final Headers headers;
    private final int maxRequestBytes;
    private final MvccStore store;
    private final java.util.concurrent.ExecutorService readers;

    private final SpaceQuota quota;

    KvService(Replica replica, Headers headers, int maxRequestBytes) {
        this(replica, headers, maxRequestBytes, SpaceQuota.NONE);
    }

    KvService(Replica replica, Headers headers, int maxRequestBytes, SpaceQuota quota) {
        this.replica = replica;
        this.headers = headers;
        this.maxRequestBytes = maxRequestBytes;
        this.quota = quota;
        this.store = replica.query(KvService::store).join();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.readers = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "etcd-read-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    static MvccStore store(Object sm) {
        return KvReplicatedStateMachine.kv((io.kplane.server.StateMachine) sm).store();
    }

    /**
     * Runs {@code read} on a reader thread, after a ReadIndex barrier unless serializable. Only for
     * reads that are safe off the owner thread ({@link MvccStore#rangePublished},
     * {@link MvccStore#readOnlyTxnPublished}, volatile fields).
     */
    <T> CompletableFuture<T> read(boolean serializable, Function<MvccStore, T> read) {
        CompletableFuture<Void> barrier = serializable ? CompletableFuture.completedFuture(null) : replica.readBarrier();
        try {
            return barrier.thenApplyAsync(ignored -> read.apply(store), readers);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new io.kplane.server.ReplicaStoppedException("etcd server stopped"));
        }
    }

    /** Like {@link #read}, but on the member's owner thread: for the state only it may touch (leases). */
    <T> CompletableFuture<T> readOnOwner(boolean serializable, Function<MvccStore, T> read) {
        CompletableFuture<Void> barrier = serializable ? CompletableFuture.completedFuture(null) : replica.readBarrier();
        return barrier.thenCompose(ignored -> replica.query(sm -> read.apply(store(sm))));
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }

    <T> CompletableFuture<T> write(KvCommand type, com.google.protobuf.MessageLite request,
                                   com.google.protobuf.Parser<T> parser) {
        byte[] command = type.encode(request);
        if (command.length > maxRequestBytes) {
            return CompletableFuture.failedFuture(KvError.REQUEST_TOO_LARGE.exception());
        }
        return replica.propose(command).thenApply(r -> KvCommand.decodeResponse(r, parser));
    }

    static <T> void reply(CompletableFuture<T> f, StreamObserver<T> out, UnaryOperator<T> finish) {
        f.whenComplete((r, e) -> {
            if (e != null) {
                out.onError(EtcdErrors.toStatus(e));
            } else {
                out.onNext(finish.apply(r));
                out.onCompleted();
            }
        });
    }

    static boolean rejected(KvError error, StreamObserver<?> out) {
        if (error != null) {
            out.onError(EtcdErrors.of(error));
            return true;
        }
        return false;
    }

    @Override
    public void range(RangeRequest r, StreamObserver<RangeResponse> out) {
        if (rejected(RequestChecks.range(r), out)) {
            return;
        }
        reply(read(r.getSerializable(), s -> s.rangePublished(r)), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> out) {
        if (rejected(RequestChecks.put(r), out)) {
            return;
        }
        if (rejected(quota.check(r.getSerializedSize()), out)) {
            return;
        }
        reply(write(KvCommand.PUT, r, PutResponse.parser()), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    @Override
    public void deleteRange(DeleteRangeRequest r, StreamObserver<DeleteRangeResponse> out) {
        if (rejected(RequestChecks.deleteRange(r), out)) {
            return;
        }
        reply(write(KvCommand.DELETE_RANGE, r, DeleteRangeResponse.parser()), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    @Override
    public void txn(TxnRequest r, StreamObserver<TxnResponse> out) {
        if (rejected(RequestChecks.txn(r), out)) {
            return;
        }
        if (!MvccStore.isReadOnly(r) && rejected(quota.check(SpaceQuota.putBytes(r)), out)) {
            return;
        }
        CompletableFuture<TxnResponse> f = MvccStore.isReadOnly(r)
                ? read(isSerializable(r), s -> s.readOnlyTxnPublished(r))
                : write(KvCommand.TXN, r, TxnResponse.parser());
        reply(f, out, resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    private static boolean isSerializable(TxnRequest r) {
        for (var ops : java.util.List.of(r.getSuccessList(), r.getFailureList())) {
            for (RequestOp op : ops) {
                if (!op.hasRequestRange() || !op.getRequestRange().getSerializable()) {
                    return false; // as etcd's isTxnSerializable: only serializable ranges qualify
                }
            }
        }
        return true;
    }

    @Override
    public void compact(CompactionRequest r, StreamObserver<CompactionResponse> out) {
        reply(write(KvCommand.COMPACT, r, CompactionResponse.parser()), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }
}
