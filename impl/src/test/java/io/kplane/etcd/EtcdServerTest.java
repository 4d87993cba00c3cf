package io.kplane.etcd;

import static io.kplane.etcd.EtcdTranscript.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.KvError;
import io.kplane.kv.KvStateMachine;
import io.kplane.server.NoLeaderException;
import io.kplane.time.ManualNanoClock;
import io.kplane.time.NanoClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the interop scripts cannot compare with etcd: slow watchers, timing (leases, progress), error mapping. */
class EtcdServerTest {
    private LocalReplica replica;
    private EtcdServer server;
    private ManagedChannel channel;

    private void start(int eventLogCapacity, EtcdServer.Options options) throws Exception {
        start(eventLogCapacity, options, NanoClock.system());
    }

    private void start(int eventLogCapacity, EtcdServer.Options options, NanoClock clock) throws Exception {
        replica = new LocalReplica(new KvStateMachine(eventLogCapacity, 2));
        server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0), options, clock);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .flowControlWindow(64 * 1024).build();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void aWatcherThatStopsReadingIsLappedAndCatchesUpFromHistoryWithoutLosingAnEvent() throws Exception {
        start(16, EtcdServer.Options.defaults());
        BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        AtomicReference<ClientCallStreamObserver<WatchRequest>> call = new AtomicReference<>();
        WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
                call.set(requestStream);
                requestStream.disableAutoRequestWithInitial(1); // read the created response, then stall
            }

            @Override
            public void onNext(WatchResponse r) {
                got.add(r);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        call.get().onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(b("k/")).setRangeEnd(b("k0")).build()).build());
        assertThat(got.poll(5, TimeUnit.SECONDS).getCreated()).isTrue();

        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        int puts = 3000;
        String value = "v".repeat(1024);
        for (int i = 0; i < puts; i++) {
            kv.put(PutRequest.newBuilder().setKey(b("k/" + (i % 100))).setValue(b(value + i)).build());
        }
        call.get().request(Integer.MAX_VALUE);
        List<Long> revisions = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (revisions.size() < puts && System.nanoTime() < deadline) {
            WatchResponse r = got.poll(1, TimeUnit.SECONDS);
            if (r != null) {
                for (Event e : r.getEventsList()) {
                    revisions.add(e.getKv().getModRevision());
                }
            }
        }
        assertThat(revisions).hasSize(puts);
        for (int i = 0; i < puts; i++) {
            assertThat(revisions.get(i)).isEqualTo(i + 2L); // every revision once, in order
        }
        assertThat(server.watchStats()[0]).as("the stalled stream was lapped by the 16-slot log").isPositive();
        assertThat(server.watchStats()[1]).as("and caught up from history").isPositive();
    }

    @Test
    void progressNotificationsAndProgressRequestsCarryTheCurrentRevision() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        start(1024, EtcdServer.Options.defaults().withProgressNotifyMillis(200), clock);
        KVGrpc.newBlockingStub(channel).put(PutRequest.newBuilder().setKey(b("x")).setValue(b("1")).build());
        BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> req = WatchGrpc.newStub(channel).watch(collect(got));
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(b("y"))
                .setProgressNotify(true)).build());
        assertThat(got.poll(5, TimeUnit.SECONDS).getCreated()).isTrue();
        clock.advance(Duration.ofMillis(199));
        assertThat(got.poll(300, TimeUnit.MILLISECONDS)).as("no notification before the interval has passed on the hub's clock").isNull();
        clock.advance(Duration.ofMillis(1));
        WatchResponse progress = got.poll(5, TimeUnit.SECONDS);
        assertThat(progress.getEventsCount()).isZero();
        assertThat(progress.getWatchId()).isZero();
        assertThat(progress.getHeader().getRevision()).isEqualTo(2);
        req.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        WatchResponse answer;
        do {
            answer = got.poll(5, TimeUnit.SECONDS);
        } while (answer.getWatchId() == 0);
        assertThat(answer.getWatchId()).isEqualTo(-1);
        assertThat(answer.getHeader().getRevision()).isEqualTo(2);
        req.onCompleted();
    }

    /**
     * Issue 14 defect 4: a progress response announcing revision R promises that every event up to R
     * has been sent on the stream. A watcher still catching up from history must not be overtaken by
     * the answer to a progress request.
     */
    @Test
    void aProgressRequestIsAnsweredOnlyAfterTheStreamHasSentEveryEventUpToItsRevision() throws Exception {
        start(1024, EtcdServer.Options.defaults());
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        int puts = 2500;
        for (int i = 0; i < puts; i++) {
            kv.put(PutRequest.newBuilder().setKey(b("h")).setValue(b("v" + i)).build());
        }
        long last = puts + 1L;
        BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> req = WatchGrpc.newStub(channel).watch(collect(got));
        // from revision 2: three history batches of at most 1000 revisions to catch up
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(b("h"))
                .setStartRevision(2)).build());
        req.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        long delivered = 1;
        long progressAt = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((delivered < last || progressAt < 0) && System.nanoTime() < deadline) {
            WatchResponse r = got.poll(1, TimeUnit.SECONDS);
            if (r == null) {
                continue;
            }
            if (r.getWatchId() == -1 && r.getEventsCount() == 0) {
                progressAt = r.getHeader().getRevision();
                assertThat(delivered).as("events sent before the progress response at %d", progressAt)
                        .isGreaterThanOrEqualTo(progressAt);
            }
            for (Event e : r.getEventsList()) {
                assertThat(e.getKv().getModRevision()).as("event after a progress response").isGreaterThan(progressAt);
                assertThat(e.getKv().getModRevision()).isEqualTo(delivered + 1);
                delivered = e.getKv().getModRevision();
            }
        }
        assertThat(delivered).isEqualTo(last);
        assertThat(progressAt).isEqualTo(last);
        req.onCompleted();
    }

    @Test
    void anExpiredLeaseIsRevokedByTheLeaderAndAKeptAliveOneIsNot() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        start(1024, new EtcdServer.Options(EtcdServer.DEFAULT_MAX_REQUEST_BYTES, 600_000, 50, 1000, Long.MAX_VALUE), clock);
        LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(channel);
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(1).setTTL(1).build()); // raised to 2 s
        lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(2).setTTL(2).build());
        kv.put(PutRequest.newBuilder().setKey(b("dies")).setValue(b("x")).setLease(1).build());
        kv.put(PutRequest.newBuilder().setKey(b("lives")).setValue(b("x")).setLease(2).build());
        BlockingQueue<LeaseKeepAliveResponse> acks = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> keepAlive = LeaseGrpc.newStub(channel).leaseKeepAlive(collect(acks));
        // 3.5 s pass on the server's clock, lease 2 kept alive every 0.5 s, lease 1 never: no sleeping.
        for (int i = 0; i < 7; i++) {
            keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(2).build());
            assertThat(acks.poll(5, TimeUnit.SECONDS).getTTL()).isEqualTo(2);
            clock.advance(Duration.ofMillis(500));
        }
        keepAlive.onCompleted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // the expiry checker runs on real time
        while (kv.range(RangeRequest.newBuilder().setKey(b("dies")).build()).getCount() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling interval under a deadline
        }
        assertThat(kv.range(RangeRequest.newBuilder().setKey(b("dies")).build()).getCount()).isZero();
        assertThat(kv.range(RangeRequest.newBuilder().setKey(b("lives")).build()).getCount()).isEqualTo(1);
        assertThat(lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(1).build()).getTTL()).isEqualTo(-1);
        assertThat(lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(2).build()).getTTL()).isBetween(1L, 2L);
    }

    @Test
    void failuresMapToEtcdStatusCodesAndMessages() {
        assertThat(EtcdErrors.toStatus(new CompletionException(new NoLeaderException("x"))).getStatus())
                .satisfies(s -> {
                    assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(s.getDescription()).isEqualTo("etcdserver: no leader");
                });
        assertThat(EtcdErrors.toStatus(new TimeoutException()).getStatus().getDescription())
                .isEqualTo("etcdserver: request timed out");
        assertThat(EtcdErrors.of(KvError.COMPACTED).getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(EtcdErrors.of(KvError.LEASE_NOT_FOUND).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(EtcdErrors.of(KvError.LEASE_EXIST).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(EtcdErrors.of(KvError.REQUEST_TOO_LARGE).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private static <T> StreamObserver<T> collect(BlockingQueue<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
