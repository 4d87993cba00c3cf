package io.kplane.bench.store;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Watch delivery latency: W watchers on the benchmark's key prefix, spread over a few watch streams
 * per member; a writer puts at a fixed rate; each event's latency is measured from the put's
 * acknowledgment to its arrival at each watcher (an event that beats the acknowledgment counts 0).
 * Every (put, watcher) pair must arrive: a missing event is reported, never silently dropped.
 */
final class WatchDelivery {

    /** What one run measured. */
    record Result(Histogram latencyNanos, double seconds, long puts, long expected, long delivered,
                  long beforeAck, long putErrors) {}

    /** Per revision: when the put was acknowledged, and how many watchers saw it before that. */
    private static final class Pending {
        long ackNanos = -1;
        int early;
        int seen;
    }

    private WatchDelivery() {}

    static Result run(List<String> endpoints, int watchers, int streamsPerEndpoint, double putsPerSecond,
                      double seconds, ByteString prefix, ByteString value) throws InterruptedException {
        ByteString rangeEnd = prefixEnd(prefix);
        Histogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
        ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
        AtomicLong delivered = new AtomicLong();
        AtomicLong beforeAck = new AtomicLong();
        List<ManagedChannel> channels = new ArrayList<>();
        List<StreamObserver<WatchRequest>> streams = new ArrayList<>();
        CountDownLatch created = new CountDownLatch(watchers);
        try {
            List<WatchGrpc.WatchStub> stubs = new ArrayList<>();
            for (String endpoint : endpoints) {
                for (int s = 0; s < streamsPerEndpoint; s++) {
                    ManagedChannel ch = StoreProbe.channel(endpoint);
                    channels.add(ch);
                    stubs.add(WatchGrpc.newStub(ch));
                }
            }
            List<StreamObserver<WatchRequest>> perStub = new ArrayList<>();
            for (WatchGrpc.WatchStub stub : stubs) {
                perStub.add(stub.watch(new StreamObserver<>() {
                    @Override public void onNext(WatchResponse r) {
                        if (r.getCreated()) {
                            created.countDown();
                        }
                        long now = System.nanoTime();
                        for (Event e : r.getEventsList()) {
                            delivered.incrementAndGet();
                            pending.compute(e.getKv().getModRevision(), (rev, p) -> {
                                Pending q = p == null ? new Pending() : p;
                                if (q.ackNanos < 0) {
                                    q.early++;
                                    beforeAck.incrementAndGet();
                                } else {
                                    latency.recordValue(Math.max(0, now - q.ackNanos));
                                }
                                q.seen++;
                                return q.seen == watchers && q.ackNanos >= 0 ? null : q;
                            });
                        }
                    }
                    @Override public void onError(Throwable t) {}
                    @Override public void onCompleted() {}
                }));
            }
            streams.addAll(perStub);
            for (int w = 0; w < watchers; w++) {
                StreamObserver<WatchRequest> stream = perStub.get(w % perStub.size());
                synchronized (stream) {
                    stream.onNext(WatchRequest.newBuilder().setCreateRequest(
                            WatchCreateRequest.newBuilder().setKey(prefix).setRangeEnd(rangeEnd)).build());
                }
            }
            if (!created.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (watchers - created.getCount()) + " of " + watchers
                        + " watches were created within 30 s");
            }

            KVGrpc.KVStub kv = KVGrpc.newStub(channels.get(0));
            long puts = Math.round(putsPerSecond * seconds);
            long periodNs = (long) (1e9 / putsPerSecond);
            AtomicLong putErrors = new AtomicLong();
            CountDownLatch acked = new CountDownLatch((int) puts);
            long start = System.nanoTime();
            for (long i = 0; i < puts; i++) {
                long due = start + i * periodNs;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
                }
                ByteString key = prefix.concat(ByteString.copyFromUtf8(String.format("%08d", i % 1000)));
                kv.put(PutRequest.newBuilder().setKey(key).setValue(value).build(), new StreamObserver<>() {
                    @Override public void onNext(PutResponse r) {
                        long now = System.nanoTime();
                        pending.compute(r.getHeader().getRevision(), (rev, p) -> {
                            Pending q = p == null ? new Pending() : p;
                            q.ackNanos = now;
                            for (int k = 0; k < q.early; k++) {
                                latency.recordValue(0);
                            }
                            return q.seen == watchers ? null : q;
                        });
                    }
                    @Override public void onError(Throwable t) {
                        putErrors.incrementAndGet();
                        acked.countDown();
                    }
                    @Override public void onCompleted() {
                        acked.countDown();
                    }
                });
            }
            acked.await(30, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long expected = (puts - putErrors.get()) * watchers;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (delivered.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return new Result(latency, elapsed, puts, expected, delivered.get(), beforeAck.get(), putErrors.get());
        } finally {
            for (StreamObserver<WatchRequest> s : streams) {
                try {
                    synchronized (s) {
                        s.onCompleted();
                    }
                } catch (RuntimeException ignored) {
                    // the stream may already be closed by the server
                }
            }
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /** etcd's prefix range end: the prefix with its last byte incremented. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }
}
