package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes every request type of the etcd gRPC API (KV Range/Put/DeleteRange/Txn/Compact, Watch,
 * Lease, Maintenance, Cluster) against a real one-member kplane store (Raft, WAL on disk, gRPC on
 * loopback). Each request either succeeds or fails with a clear error — one of etcd's gRPC codes
 * with a message, never UNKNOWN/INTERNAL (an uncaught exception) or a hang — a rejected request
 * changes nothing (every key, value, version and the revision are compared before and after), and
 * the member keeps answering.
 */
class GrpcRequestFuzzTest {

    /** Codes etcd uses for requests it rejects (plus UNIMPLEMENTED for what a server does not serve). */
    private static final Set<Status.Code> CLEAR = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.OUT_OF_RANGE,
            Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND, Status.Code.UNIMPLEMENTED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ALREADY_EXISTS, Status.Code.PERMISSION_DENIED);
    private static final long DEADLINE_MS = 10_000;

    private static Path dir;
    private static KvCluster cluster;
    private static ManagedChannel channel;
    private static String peerUrl;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("grpc-fuzz");
        cluster = KvCluster.start(1, dir, Duration.ofMillis(20), true);
        String endpoint = cluster.endpoints().get(0);
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        peerUrl = ClusterGrpc.newBlockingStub(channel).memberList(MemberListRequest.getDefaultInstance())
                .getMembers(0).getPeerURLsList().stream().findFirst().orElse("http://127.0.0.1:1");
        // a few keys and a lease for requests to hit
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        for (String k : List.of("a", "b", "b/1", "c")) {
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k)).setValue(ByteString.copyFromUtf8("v-" + k)).build());
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One request: what it is (for the report), whether it may change state, and how to send it. */
    record Request(String what, boolean mutating, Call call) {
        @Override
        public String toString() {
            return what;
        }
    }

    @FunctionalInterface
    interface Call {
        void send(ManagedChannel ch) throws Exception;
    }

    /** Every key, value, version and lease, and the revision: what a rejected request must not change. */
    private static String state() {
        RangeResponse r = KVGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                .range(RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build());
        StringBuilder b = new StringBuilder("rev=").append(r.getHeader().getRevision());
        for (KeyValue kv : r.getKvsList()) {
            b.append(' ').append(kv.getKey().toStringUtf8()).append('=').append(kv.getValue().toStringUtf8())
                    .append('/').append(kv.getCreateRevision()).append('/').append(kv.getModRevision())
                    .append('/').append(kv.getVersion()).append('/').append(kv.getLease());
        }
        return b.toString();
    }

    @Property(tries = 300, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void everyRequestSucceedsOrFailsClearlyAndRejectedOnesChangeNothing(@ForAll("requests") Request request) {
        String before = state();
        StatusRuntimeException rejected = null;
        try {
            request.call().send(channel);
        } catch (StatusRuntimeException e) {
            rejected = e;
        } catch (Exception e) {
            throw new AssertionError(request + ": " + e, e);
        }
        net.jqwik.api.statistics.Statistics.collect(request.what().split(" ")[0],
                rejected == null ? "ok" : rejected.getStatus().getCode().name());
        String after = state(); // also: the member still answers
        if (rejected != null) {
            assertThat(rejected.getStatus().getCode()).as(request + " -> " + rejected.getStatus()).isIn(CLEAR);
            assertThat(rejected.getStatus().getDescription()).as(request + " -> " + rejected.getStatus()).isNotBlank();
            assertThat(after).as(request + " was rejected (" + rejected.getStatus() + ") but changed the store").isEqualTo(before);
        } else if (!request.mutating()) {
            assertThat(after).as(request + " reads only but changed the store").isEqualTo(before);
        }
    }

    // ---- generators ----

    private static Arbitrary<ByteString> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "a", "a", "b", "b/", "b/1", "c", "c", "zz", "\0", "a\0", "\u00ff", "/torture/k0").map(ByteString::copyFromUtf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(ByteString::copyFrom));
    }

    private static Arbitrary<Long> revisions() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-3, 40), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40));
    }

    private static Arbitrary<Long> ids() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-3, 5), Arbitraries.longs(), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE));
    }

    private static Arbitrary<Integer> enums(int max) {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, max), Arbitraries.of(-1, 99, Integer.MAX_VALUE));
    }

    private static Arbitrary<RangeRequest> range() {
        return Combinators.combine(keys(), keys(), Arbitraries.longs().between(-5, 5), revisions(), enums(3), enums(5),
                        Arbitraries.integers().between(0, 15), revisions())
                .as((k, end, limit, rev, order, target, flags, minMax) -> RangeRequest.newBuilder().setKey(k).setRangeEnd(end)
                        .setLimit(limit).setRevision(rev).setSortOrderValue(order).setSortTargetValue(target)
                        .setSerializable((flags & 1) != 0).setKeysOnly((flags & 2) != 0).setCountOnly((flags & 4) != 0)
                        .setMinModRevision((flags & 8) != 0 ? minMax : 0).setMaxCreateRevision((flags & 8) != 0 ? 0 : minMax)
                        .build());
    }

    private static Arbitrary<PutRequest> put() {
        return Combinators.combine(keys(), keys(), Arbitraries.oneOf(Arbitraries.just(0L), ids()), Arbitraries.integers().between(0, 7))
                .as((k, v, lease, flags) -> PutRequest.newBuilder().setKey(k).setValue(v).setLease(lease)
                        .setPrevKv((flags & 1) != 0).setIgnoreValue((flags & 2) != 0).setIgnoreLease((flags & 4) != 0).build());
    }

    private static Arbitrary<DeleteRangeRequest> delete() {
        return Combinators.combine(keys(), keys(), Arbitraries.of(true, false))
                .as((k, end, prev) -> DeleteRangeRequest.newBuilder().setKey(k).setRangeEnd(end).setPrevKv(prev).build());
    }

    private static Arbitrary<Compare> compare() {
        return Combinators.combine(keys(), keys(), enums(4), enums(3), revisions(), keys())
                .as((k, end, target, result, n, value) -> {
                    Compare.Builder c = Compare.newBuilder().setKey(k).setTargetValue(target).setResultValue(result);
                    if (end.size() % 3 == 1) {
                        c.setRangeEnd(end);
                    }
                    switch (Math.floorMod(target, 5)) {
                        case 0 -> c.setVersion(n);
                        case 1 -> c.setCreateRevision(n);
                        case 2 -> c.setModRevision(n);
                        default -> c.setValue(value);
                    }
                    return c.build();
                });
    }

    private static Arbitrary<RequestOp> op(int depth) {
        List<Arbitrary<RequestOp>> ops = new ArrayList<>(List.of(
                range().map(r -> RequestOp.newBuilder().setRequestRange(r).build()),
                put().map(p -> RequestOp.newBuilder().setRequestPut(p).build()),
                delete().map(d -> RequestOp.newBuilder().setRequestDeleteRange(d).build()),
                Arbitraries.just(RequestOp.getDefaultInstance())));
        if (depth > 0) {
            ops.add(txn(depth - 1).map(t -> RequestOp.newBuilder().setRequestTxn(t).build()));
        }
        return Arbitraries.oneOf(ops);
    }

    private static Arbitrary<TxnRequest> txn(int depth) {
        return Combinators.combine(compare().list().ofMaxSize(3), op(depth).list().ofMaxSize(4), op(depth).list().ofMaxSize(3),
                        Arbitraries.integers().between(0, 10))
                .as((cmp, success, failure, blowUp) -> {
                    TxnRequest.Builder t = TxnRequest.newBuilder().addAllCompare(cmp).addAllSuccess(success).addAllFailure(failure);
                    if (blowUp == 0) { // more operations than etcd's --max-txn-ops (128)
                        for (int i = 0; i < 130; i++) {
                            t.addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
                                    .setKey(ByteString.copyFromUtf8("r" + i))));
                        }
                    }
                    return t.build();
                });
    }

    private static Arbitrary<WatchRequest> watchRequest() {
        Arbitrary<WatchRequest> create = Combinators.combine(keys(), keys(), revisions(), Arbitraries.integers().between(0, 7),
                        enums(1).list().ofMaxSize(3), ids())
                .as((k, end, rev, flags, filters, watchId) -> WatchRequest.newBuilder().setCreateRequest(
                        WatchCreateRequest.newBuilder().setKey(k).setRangeEnd(end).setStartRevision(rev)
                                .setProgressNotify((flags & 1) != 0).setPrevKv((flags & 2) != 0)
                                .addAllFiltersValue(filters)).build());
        Arbitrary<WatchRequest> cancel = ids().map(id -> WatchRequest.newBuilder()
                .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
        Arbitrary<WatchRequest> progress = Arbitraries.just(WatchRequest.newBuilder()
                .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, create), net.jqwik.api.Tuple.of(2, cancel), net.jqwik.api.Tuple.of(1, progress),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(WatchRequest.getDefaultInstance())));
    }

    /** Sends the requests on one watch stream and reads for a moment; an error status must be a clear one. */
    private static void watch(ManagedChannel ch, List<WatchRequest> requests) throws Exception {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<WatchRequest> out = WatchGrpc.newStub(ch).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                failed.set(t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (WatchRequest r : requests) {
            out.onNext(r);
        }
        done.await(150, TimeUnit.MILLISECONDS);
        out.onCompleted();
        if (failed.get() instanceof StatusRuntimeException e && e.getStatus().getCode() != Status.Code.CANCELLED) {
            throw e;
        }
    }

    private static void keepAlive(ManagedChannel ch, long id) throws Exception {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<LeaseKeepAliveRequest> out = LeaseGrpc.newStub(ch).leaseKeepAlive(new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                done.countDown();
            }

            @Override
            public void onError(Throwable t) {
                failed.set(t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        out.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        if (!done.await(DEADLINE_MS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("keep-alive of lease " + id + ": no answer within " + DEADLINE_MS + " ms");
        }
        out.onCompleted();
        if (failed.get() instanceof StatusRuntimeException e) {
            throw e;
        }
    }

    private static KVGrpc.KVBlockingStub kv(ManagedChannel ch) {
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private static LeaseGrpc.LeaseBlockingStub lease(ManagedChannel ch) {
        return LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private static MaintenanceGrpc.MaintenanceBlockingStub maintenance(ManagedChannel ch) {
        return MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private static ClusterGrpc.ClusterBlockingStub clusterStub(ManagedChannel ch) {
        return ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    /** Peer URLs that are malformed, or this member's own (a duplicate): none may add a voter that cannot start. */
    private static Arbitrary<List<String>> badPeerUrls() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "not a url", "http://", "://x", "http://127.0.0.1:notaport", "ftp://[::1", "\0")
                        .list().ofMinSize(0).ofMaxSize(2),
                Arbitraries.just(List.of()).map(x -> List.of(peerUrl)));
    }

    @Provide
    Arbitrary<Request> requests() {
        // KV requests weigh more: they are the ones that change data
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, range().map(r -> new Request("Range " + short_(r), false, ch -> kv(ch).range(r)))),
                net.jqwik.api.Tuple.of(4, put().map(p -> new Request("Put " + short_(p), true, ch -> kv(ch).put(p)))),
                net.jqwik.api.Tuple.of(2, delete().map(d -> new Request("DeleteRange " + short_(d), true, ch -> kv(ch).deleteRange(d)))),
                net.jqwik.api.Tuple.of(6, txn(2).map(t -> new Request("Txn " + short_(t), true, ch -> kv(ch).txn(t)))),
                net.jqwik.api.Tuple.of(8, others()));
    }

    private static Arbitrary<Request> others() {
        return Arbitraries.oneOf(
                Combinators.combine(revisions(), Arbitraries.of(true, false)).as((rev, physical) ->
                        new Request("Compact " + rev + (physical ? " physical" : ""), true,
                                ch -> kv(ch).compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(physical).build()))),
                watchRequest().list().ofMinSize(1).ofMaxSize(4).map(ws ->
                        new Request("Watch " + ws.stream().map(GrpcRequestFuzzTest::short_).toList(), false, ch -> watch(ch, ws))),
                Combinators.combine(Arbitraries.oneOf(Arbitraries.longs().between(-5, 100), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE)),
                                Arbitraries.oneOf(Arbitraries.just(0L), ids()))
                        .as((ttl, id) -> new Request("LeaseGrant ttl=" + ttl + " id=" + id, true,
                                ch -> lease(ch).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).setID(id).build()))),
                ids().map(id -> new Request("LeaseRevoke " + id, true,
                        ch -> lease(ch).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()))),
                ids().map(id -> new Request("LeaseKeepAlive " + id, false, ch -> keepAlive(ch, id))),
                Combinators.combine(ids(), Arbitraries.of(true, false)).as((id, keys) -> new Request("LeaseTimeToLive " + id, false,
                        ch -> lease(ch).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(keys).build()))),
                Arbitraries.just(new Request("Status", false, ch -> maintenance(ch).status(StatusRequest.getDefaultInstance()))),
                Combinators.combine(Arbitraries.of(0, 2, 3, -1, 99), enums(2), ids()).as((action, alarm, member) ->
                        new Request("Alarm action=" + action + " alarm=" + alarm, false, ch -> maintenance(ch).alarm(
                                AlarmRequest.newBuilder().setActionValue(action).setAlarmValue(alarm).setMemberID(member).build()))),
                Arbitraries.just(new Request("Defragment", false, ch -> maintenance(ch).defragment(DefragmentRequest.getDefaultInstance()))),
                Arbitraries.just(new Request("Hash", false, ch -> maintenance(ch).hash(HashRequest.getDefaultInstance()))),
                revisions().map(rev -> new Request("HashKV " + rev, false,
                        ch -> maintenance(ch).hashKV(HashKVRequest.newBuilder().setRevision(rev).build()))),
                Arbitraries.just(new Request("Snapshot", false, ch -> {
                    Iterator<?> it = maintenance(ch).snapshot(SnapshotRequest.getDefaultInstance());
                    while (it.hasNext()) {
                        it.next();
                    }
                })),
                ids().map(id -> new Request("MoveLeader " + id, false,
                        ch -> maintenance(ch).moveLeader(MoveLeaderRequest.newBuilder().setTargetID(id).build()))),
                Arbitraries.just(new Request("MemberList", false, ch -> clusterStub(ch).memberList(MemberListRequest.getDefaultInstance()))),
                badPeerUrls().map(urls -> new Request("MemberAdd " + urls, false,
                        ch -> clusterStub(ch).memberAdd(MemberAddRequest.newBuilder().addAllPeerURLs(urls).build()))),
                ids().map(id -> new Request("MemberRemove " + id, false,
                        ch -> clusterStub(ch).memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()))),
                Combinators.combine(ids(), badPeerUrls()).as((id, urls) -> new Request("MemberUpdate " + id + " " + urls, false,
                        ch -> clusterStub(ch).memberUpdate(MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(urls).build()))),
                ids().map(id -> new Request("MemberPromote " + id, false,
                        ch -> clusterStub(ch).memberPromote(MemberPromoteRequest.newBuilder().setID(id).build()))));
    }

    private static String short_(com.google.protobuf.MessageOrBuilder m) {
        String s = com.google.protobuf.TextFormat.shortDebugString(m);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
