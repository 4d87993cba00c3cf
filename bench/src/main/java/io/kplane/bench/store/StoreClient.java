package io.kplane.bench.store;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load client of the store benchmark: raw grpc-java stubs generated in {@code jetcd-grpc},
 * spread over several channels to every member, so that the same client drives kplane and etcd.
 *
 * <p>Why raw stubs and not jetcd's high-level client: jetcd 0.8 adds a Vert.x hop and futures per
 * call, and on two shared cores the client must not be the bottleneck (DESIGN.md §5).
 * Keys are 8 bytes ({@code %08d}) over a key space, values 256 bytes, as in etcd's benchmark tool.
 */
public final class StoreClient implements AutoCloseable {

    /** The kinds of request the benchmark issues. */
    public enum Op { PUT, GET_LINEARIZABLE, GET_SERIALIZABLE, TXN }

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<KVGrpc.KVStub> stubs = new ArrayList<>();
    private final ByteString[] keys;
    private final ByteString value;

    public StoreClient(List<String> endpoints, int channelsPerEndpoint, int keySpace, int valueSize) {
        for (int c = 0; c < channelsPerEndpoint; c++) {
            for (String endpoint : endpoints) {
                ManagedChannel channel = StoreProbe.channel(endpoint);
                channels.add(channel);
                stubs.add(KVGrpc.newStub(channel));
            }
        }
        keys = new ByteString[keySpace];
        for (int i = 0; i < keySpace; i++) {
            keys[i] = ByteString.copyFrom(String.format("%08d", i), StandardCharsets.US_ASCII);
        }
        byte[] v = new byte[valueSize];
        new SplittableRandom(42).nextBytes(v);
        value = ByteString.copyFrom(v);
    }

    /** Fills every key once so that reads find data. */
    public void preload(int outstanding) throws InterruptedException {
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(outstanding);
        for (int i = 0; i < keys.length; i++) {
            window.acquire();
            issue(Op.PUT, i, i).whenComplete((r, e) -> window.release());
        }
        window.acquire(outstanding);
        window.release(outstanding);
    }

    /** Issues one request; {@code slot} picks the channel, {@code keyIndex} the key. */
    public CompletableFuture<Void> issue(Op op, int slot, int keyIndex) {
        KVGrpc.KVStub stub = stubs.get(Math.floorMod(slot, stubs.size()));
        ByteString key = keys[Math.floorMod(keyIndex, keys.length)];
        CompletableFuture<Void> done = new CompletableFuture<>();
        switch (op) {
            case PUT -> stub.put(PutRequest.newBuilder().setKey(key).setValue(value).build(), observer(done));
            case GET_LINEARIZABLE -> stub.range(RangeRequest.newBuilder().setKey(key).build(), observer(done));
            case GET_SERIALIZABLE -> stub.range(RangeRequest.newBuilder().setKey(key).setSerializable(true).build(),
                    observer(done));
            case TXN -> stub.txn(TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.VERSION)
                            .setResult(Compare.CompareResult.GREATER).setVersion(0))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(
                            PutRequest.newBuilder().setKey(key).setValue(value)))
                    .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                    .build(), observer(done));
            default -> throw new IllegalArgumentException(op.toString());
        }
        return done;
    }

    public int keySpace() {
        return keys.length;
    }

    public ByteString key(int index) {
        return keys[Math.floorMod(index, keys.length)];
    }

    public ByteString value() {
        return value;
    }

    List<ManagedChannel> channels() {
        return channels;
    }

    private static <T> StreamObserver<T> observer(CompletableFuture<Void> done) {
        return new StreamObserver<>() {
            @Override public void onNext(T value) {}
            @Override public void onError(Throwable t) { done.completeExceptionally(t); }
            @Override public void onCompleted() { done.complete(null); }
        };
    }

    @Override
    public void close() {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
