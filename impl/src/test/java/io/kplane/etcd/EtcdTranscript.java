package io.kplane.etcd;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TextFormat;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One scripted sequence of etcd v3 gRPC calls, recorded as text with only what must differ between
 * two servers normalized (cluster id, member id, Raft term). Run against real etcd and against
 * kplane, the two transcripts must be equal line for line.
 */
final class EtcdTranscript {
    private final ManagedChannel channel;
    private final KVGrpc.KVBlockingStub kv;
    private final LeaseGrpc.LeaseBlockingStub lease;
    final List<String> lines = new ArrayList<>();
    private volatile boolean closing;

    EtcdTranscript(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    KVGrpc.KVBlockingStub kvStub() {
        return kv;
    }

    static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static String normalize(String text) {
        return text.replaceAll("cluster_id: \\d+", "cluster_id: C").replaceAll("member_id: \\d+", "member_id: M")
                .replaceAll("raft_term: \\d+", "raft_term: T");
    }

    void call(String label, Supplier<? extends MessageOrBuilder> rpc) {
        try {
            lines.add(label + " -> " + normalize(TextFormat.printer().shortDebugString(rpc.get())));
        } catch (StatusRuntimeException e) {
            lines.add(label + " -> ERROR " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
    }

    PutRequest.Builder put(String k, String v) {
        return PutRequest.newBuilder().setKey(b(k)).setValue(b(v));
    }

    RangeRequest.Builder range(String k, String end) {
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(b(k));
        return end == null ? r : r.setRangeEnd(b(end));
    }

    static RequestOp op(PutRequest.Builder p) {
        return RequestOp.newBuilder().setRequestPut(p).build();
    }

    static RequestOp op(RangeRequest.Builder r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    static RequestOp op(DeleteRangeRequest.Builder d) {
        return RequestOp.newBuilder().setRequestDeleteRange(d).build();
    }

    static Compare cmp(String key, Compare.CompareTarget target, Compare.CompareResult result, long number, String value) {
        Compare.Builder c = Compare.newBuilder().setKey(b(key)).setTarget(target).setResult(result);
        switch (target) {
            case VALUE -> c.setValue(b(value));
            case VERSION -> c.setVersion(number);
            case CREATE -> c.setCreateRevision(number);
            case MOD -> c.setModRevision(number);
            default -> { }
        }
        return c.build();
    }

    /** The scripted sequence: every KV, txn, lease and error path the interop test compares. */
    void runKvAndLeaseScript() {
        call("put a", () -> kv.put(put("a", "1").build()));
        call("put b prev", () -> kv.put(put("b", "2").setPrevKv(true).build()));
        call("put a prev", () -> kv.put(put("a", "3").setPrevKv(true).build()));
        for (String k : List.of("c/x", "c/y", "c/z", "d", "c/y")) {
            call("put " + k, () -> kv.put(put(k, "v-" + k + "-" + lines.size()).build()));
        }
        call("get a", () -> kv.range(range("a", null).build()));
        call("get missing", () -> kv.range(range("nope", null).build()));
        call("get prefix c/", () -> kv.range(range("c/", "c0").build()));
        call("get from b", () -> kv.range(range("b", "\0").build()));
        call("get all", () -> kv.range(range("\0", "\0").build()));
        call("get all limit 2", () -> kv.range(range("\0", "\0").setLimit(2).build()));
        call("get a rev 2", () -> kv.range(range("a", null).setRevision(2).build()));
        call("get all rev 5", () -> kv.range(range("\0", "\0").setRevision(5).build()));
        call("get serializable", () -> kv.range(range("a", null).setSerializable(true).build()));
        for (RangeRequest.SortTarget t : List.of(RangeRequest.SortTarget.KEY, RangeRequest.SortTarget.VERSION,
                RangeRequest.SortTarget.CREATE, RangeRequest.SortTarget.MOD, RangeRequest.SortTarget.VALUE)) {
            for (RangeRequest.SortOrder o : List.of(RangeRequest.SortOrder.NONE, RangeRequest.SortOrder.ASCEND,
                    RangeRequest.SortOrder.DESCEND)) {
                call("sort " + t + " " + o, () -> kv.range(range("\0", "\0").setSortTarget(t).setSortOrder(o).setLimit(3).build()));
            }
        }
        call("keys only", () -> kv.range(range("c/", "c0").setKeysOnly(true).build()));
        call("count only", () -> kv.range(range("c/", "c0").setCountOnly(true).build()));
        call("min mod 6", () -> kv.range(range("\0", "\0").setMinModRevision(6).build()));
        call("max mod 6", () -> kv.range(range("\0", "\0").setMaxModRevision(6).build()));
        call("min create 5", () -> kv.range(range("\0", "\0").setMinCreateRevision(5).build()));
        call("max create 5 limit 1", () -> kv.range(range("\0", "\0").setMaxCreateRevision(5).setLimit(1).build()));
        call("inverted range", () -> kv.range(range("z", "a").build()));

        call("del d prev", () -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("d")).setPrevKv(true).build()));
        call("del missing", () -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("nope")).build()));
        call("put d again", () -> kv.put(put("d", "again").build()));
        call("get d", () -> kv.range(range("d", null).build()));

        call("txn success", () -> kv.txn(TxnRequest.newBuilder()
                .addCompare(cmp("a", Compare.CompareTarget.VALUE, Compare.CompareResult.EQUAL, 0, "3"))
                .addCompare(cmp("a", Compare.CompareTarget.VERSION, Compare.CompareResult.GREATER, 1, null))
                .addCompare(cmp("b", Compare.CompareTarget.CREATE, Compare.CompareResult.LESS, 100, null))
                .addCompare(cmp("c/", Compare.CompareTarget.MOD, Compare.CompareResult.NOT_EQUAL, 1, null).toBuilder()
                        .setRangeEnd(b("c0")).build())
                .addSuccess(op(put("t1", "x")))
                .addSuccess(op(range("t1", null)))
                .addSuccess(op(DeleteRangeRequest.newBuilder().setKey(b("b")).setPrevKv(true)))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                        .addCompare(cmp("t1", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 0, null))
                        .addSuccess(op(put("t2", "nested")))
                        .addFailure(op(put("t3", "nested-else")))))
                .addFailure(op(put("f", "never")))
                .build()));
        call("txn failure", () -> kv.txn(TxnRequest.newBuilder()
                .addCompare(cmp("a", Compare.CompareTarget.VALUE, Compare.CompareResult.EQUAL, 0, "nope"))
                .addSuccess(op(put("s", "never")))
                .addFailure(op(range("a", null)))
                .addFailure(op(put("f", "else")))
                .build()));
        call("txn missing key value compare", () -> kv.txn(TxnRequest.newBuilder()
                .addCompare(cmp("zzz", Compare.CompareTarget.VALUE, Compare.CompareResult.NOT_EQUAL, 0, "x"))
                .build()));
        call("txn missing key version 0", () -> kv.txn(TxnRequest.newBuilder()
                .addCompare(cmp("zzz", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 0, null))
                .addSuccess(op(range("a", null)))
                .build()));
        call("txn read-only", () -> kv.txn(TxnRequest.newBuilder().addSuccess(op(range("\0", "\0").setCountOnly(true))).build()));

        // errors
        call("put empty key", () -> kv.put(put("", "v").build()));
        call("get empty key", () -> kv.range(range("", null).build()));
        call("del empty key", () -> kv.deleteRange(DeleteRangeRequest.newBuilder().build()));
        call("put ignore_value with value", () -> kv.put(put("a", "v").setIgnoreValue(true).build()));
        call("put ignore_lease with lease", () -> kv.put(put("a", "").setIgnoreLease(true).setLease(5).build()));
        call("put ignore_value missing key", () -> kv.put(put("nope", "").setIgnoreValue(true).build()));
        call("put ignore_value", () -> kv.put(put("a", "").setIgnoreValue(true).setPrevKv(true).build()));
        call("put missing lease", () -> kv.put(put("a", "v").setLease(12345).build()));
        TxnRequest.Builder tooMany = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            tooMany.addSuccess(op(put("k" + i, "v")));
        }
        call("txn 129 ops", () -> kv.txn(tooMany.build()));
        call("txn duplicate put", () -> kv.txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(put("a", "2"))).build()));
        call("txn put in deleted range", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(op(DeleteRangeRequest.newBuilder().setKey(b("c/")).setRangeEnd(b("c0"))))
                .addSuccess(op(put("c/q", "2"))).build()));
        call("txn empty compare key", () -> kv.txn(TxnRequest.newBuilder()
                .addCompare(cmp("", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 0, null)).build()));
        call("txn range future rev", () -> kv.txn(TxnRequest.newBuilder().addSuccess(op(range("a", null).setRevision(1000))).build()));
        call("get future rev", () -> kv.range(range("a", null).setRevision(1000).build()));
        call("too large", () -> kv.put(put("big", "x".repeat(1600 * 1024)).build()));
        call("compact 4", () -> kv.compact(CompactionRequest.newBuilder().setRevision(4).build()));
        call("get compacted", () -> kv.range(range("a", null).setRevision(3).build()));
        call("get at compact rev", () -> kv.range(range("\0", "\0").setRevision(4).build()));
        call("compact again", () -> kv.compact(CompactionRequest.newBuilder().setRevision(4).build()));
        call("compact future", () -> kv.compact(CompactionRequest.newBuilder().setRevision(1000).build()));

        // leases (explicit ids so both servers agree)
        call("grant 1000 ttl 60", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(1000).setTTL(60).build()));
        call("grant 1001 ttl 1", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(1001).setTTL(1).build()));
        call("grant existing", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(1000).setTTL(60).build()));
        call("grant too large", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(1002).setTTL(9_000_000_001L).build()));
        call("put with lease", () -> kv.put(put("l1", "x").setLease(1000).build()));
        call("put with lease 2", () -> kv.put(put("l2", "y").setLease(1000).build()));
        call("put ignore_lease", () -> kv.put(put("l2", "z").setIgnoreLease(true).build()));
        call("get leased", () -> kv.range(range("l", "m").build()));
        call("ttl with keys", () -> ttlShape(lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(1000).setKeys(true).build())));
        call("ttl missing", () -> lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(77).build()));
        call("keepalive", () -> keepAlive(1000));
        call("keepalive missing", () -> keepAlive(77));
        call("txn on leased key", () -> kv.txn(TxnRequest.newBuilder()
                .addCompare(cmp("l1", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 1, null))
                .addSuccess(op(put("l1", "moved"))).build()));
        call("revoke 1000", () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1000).build()));
        call("get after revoke", () -> kv.range(range("l", "m").build()));
        call("revoke missing", () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1000).build()));
        call("revoke 1001", () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1001).build()));
    }

    /** A nested txn as an op: compare "n" version = 0, then {@code then}, else {@code otherwise}. */
    static RequestOp nested(List<RequestOp> then, List<RequestOp> otherwise) {
        return RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                .addCompare(cmp("n", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 0, null))
                .addAllSuccess(then).addAllFailure(otherwise)).build();
    }

    /** Which puts of the same key in nested txns etcd accepts and which it rejects as duplicates. */
    void runNestedTxnDuplicateScript() {
        RequestOp pk1 = op(put("k", "1"));
        RequestOp pk2 = op(put("k", "2"));
        RequestOp delK = op(DeleteRangeRequest.newBuilder().setKey(b("k")));
        call("nested then/else put same key", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(pk1), List.of(pk2))).build()));
        call("top-level success/failure put same key", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(pk1).addFailure(pk2).build()));
        call("two nested txns put same key in then", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(pk1), List.of())).addSuccess(nested(List.of(pk2), List.of())).build()));
        call("nested then and else, then another nested else", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(pk1), List.of(pk2))).addSuccess(nested(List.of(), List.of(pk1))).build()));
        call("nested else, then another nested then", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(), List.of(pk1))).addSuccess(nested(List.of(pk2), List.of())).build()));
        call("nested put and same-level put", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(pk1), List.of(pk2))).addSuccess(op(put("k", "3"))).build()));
        call("nested else put in same-level deleted range", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(), List.of(pk1))).addSuccess(delK).build()));
        call("nested then put, nested else delete", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(pk1), List.of(delK))).build()));
        call("doubly nested then/else", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(nested(List.of(pk1), List.of(pk2))), List.of(pk2))).build()));
        call("nested then puts key twice", () -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(nested(List.of(pk1, pk2), List.of())).build()));
        call("get k", () -> kv.range(range("k", null).build()));
    }

    /** TTL counts down in real time: keep the granted TTL and keys, and only whether TTL is plausible. */
    private static LeaseTimeToLiveResponse ttlShape(LeaseTimeToLiveResponse r) {
        boolean plausible = r.getTTL() >= r.getGrantedTTL() - 3 && r.getTTL() <= r.getGrantedTTL();
        // etcd lists a lease's keys in map order: compare them sorted
        List<ByteString> keys = new ArrayList<>(r.getKeysList());
        keys.sort(ByteString.unsignedLexicographicalComparator());
        return r.toBuilder().setTTL(plausible ? 1 : -999).clearKeys().addAllKeys(keys).build();
    }

    private LeaseKeepAliveResponse keepAlive(long id) {
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel).leaseKeepAlive(new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                answers.add(r);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        try {
            Object a = answers.poll(10, TimeUnit.SECONDS);
            requests.onCompleted();
            if (a instanceof StatusRuntimeException e) {
                throw e;
            }
            LeaseKeepAliveResponse r = (LeaseKeepAliveResponse) a;
            // etcd's header on an unknown lease carries no revision; keep only ID and TTL
            return LeaseKeepAliveResponse.newBuilder().setID(r.getID()).setTTL(r.getTTL()).build();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens one watch stream, creates the given watchers one after another, and records every
     * response flattened to events (servers may batch revisions differently), until quiet.
     */
    void watch(String label, List<WatchCreateRequest> creates, Runnable whileWatching, boolean cancelFirst) {
        BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> req = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                got.add(r);
            }

            @Override
            public void onError(Throwable t) {
                if (!closing) {
                    lines.add(label + " stream error " + t);
                }
            }

            @Override
            public void onCompleted() {
            }
        });
        try {
            for (WatchCreateRequest c : creates) {
                req.onNext(WatchRequest.newBuilder().setCreateRequest(c).build());
                record(label, got.poll(10, TimeUnit.SECONDS)); // the created response
            }
            if (whileWatching != null) {
                whileWatching.run();
            }
            if (cancelFirst) {
                req.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0)).build());
            }
            // Different watchers' events of one revision come in no defined order (etcd iterates a
            // map): keep each watcher's own order, group by watcher.
            List<String> before = new ArrayList<>(lines);
            lines.clear();
            for (WatchResponse r; (r = got.poll(700, TimeUnit.MILLISECONDS)) != null; ) {
                record(label, r);
            }
            List<String> after = new ArrayList<>(lines);
            after.sort(java.util.Comparator.comparing(l -> l.replaceAll("^.* watch (\\d+) event.*$", "$1")));
            lines.clear();
            lines.addAll(before);
            lines.addAll(after);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            req.onCompleted();
        }
    }

    private void record(String label, WatchResponse r) {
        if (r == null) {
            lines.add(label + " timed out");
            return;
        }
        if (r.getCreated() || r.getCanceled() || r.getEventsCount() == 0) {
            // control responses: header revision matters (what the watch started from)
            WatchResponse.Builder b = r.toBuilder();
            lines.add(label + " " + normalize(TextFormat.printer().shortDebugString(b.build())));
            return;
        }
        for (Event e : r.getEventsList()) {
            lines.add(label + " watch " + r.getWatchId() + " event " + TextFormat.printer().shortDebugString(e));
        }
    }

    void close() {
        closing = true;
        channel.shutdownNow();
    }
}
