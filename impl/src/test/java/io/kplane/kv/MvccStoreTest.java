package io.kplane.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MvccStoreTest {
    private final EventLog<RevisionEvents> log = new EventLog<>(1024);
    private final MvccStore store = new MvccStore(log, 2);

    static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    long put(String k, String v) {
        return store.put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build()).getHeader().getRevision();
    }

    List<KeyValue> get(String k, String end, long rev) {
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(b(k)).setRevision(rev);
        if (end != null) {
            r.setRangeEnd(b(end));
        }
        return store.range(r.build()).getKvsList();
    }

    static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    @Test
    void revisionsVersionsAndTombstonesFollowEtcd() {
        assertThat(store.currentRevision()).isEqualTo(1);
        assertThat(put("a", "1")).isEqualTo(2);
        assertThat(put("a", "2")).isEqualTo(3);
        KeyValue kv = get("a", null, 0).get(0);
        assertThat(kv.getCreateRevision()).isEqualTo(2);
        assertThat(kv.getModRevision()).isEqualTo(3);
        assertThat(kv.getVersion()).isEqualTo(2);
        assertThat(store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")).build()).getDeleted()).isEqualTo(1);
        assertThat(store.currentRevision()).isEqualTo(4);
        assertThat(get("a", null, 0)).isEmpty();
        assertThat(put("a", "3")).isEqualTo(5);
        kv = get("a", null, 0).get(0);
        assertThat(kv.getCreateRevision()).isEqualTo(5);
        assertThat(kv.getVersion()).isEqualTo(1);
        // older revisions stay readable
        assertThat(get("a", null, 2).get(0).getValue().toStringUtf8()).isEqualTo("1");
        assertThat(get("a", null, 4)).isEmpty();
        // a delete that deletes nothing does not create a revision
        var resp = store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("zzz")).build());
        assertThat(resp.getDeleted()).isZero();
        assertThat(resp.getHeader().getRevision()).isEqualTo(5);
        assertThat(store.currentRevision()).isEqualTo(5);
    }

    @Test
    void futureAndCompactedRevisionsAreRejected() {
        put("a", "1");
        put("a", "2");
        put("b", "1");
        assertThatThrownBy(() -> get("a", null, 10)).isInstanceOf(KvException.class)
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
        store.compact(CompactionRequest.newBuilder().setRevision(3).build());
        assertThatThrownBy(() -> get("a", null, 2)).hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(get("a", null, 3).get(0).getValue().toStringUtf8()).isEqualTo("2");
        assertThatThrownBy(() -> store.compact(CompactionRequest.newBuilder().setRevision(3).build()))
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> store.compact(CompactionRequest.newBuilder().setRevision(9).build()))
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void compactionDropsDeletedKeysAndKeepsTheLatestRevisionOfLiveOnes() {
        put("a", "1"); // 2
        put("b", "1"); // 3
        store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("b")).build()); // 4
        put("a", "2"); // 5
        store.compact(CompactionRequest.newBuilder().setRevision(5).build());
        assertThat(store.indexedKeys()).isEqualTo(1);
        assertThat(get("a", null, 5).get(0).getVersion()).isEqualTo(2);
        assertThat(store.index().get("a".getBytes()).older).isNull();
    }

    @Test
    void rangeOptionsBehaveLikeEtcd() {
        put("k1", "c");
        put("k2", "a");
        put("k3", "b");
        put("k2", "a2");
        put("l", "x");
        assertThat(keys(get("k", "l", 0))).containsExactly("k1", "k2", "k3");
        assertThat(keys(get("k2", "\0", 0))).containsExactly("k2", "k3", "l");
        assertThat(keys(get("\0", "\0", 0))).containsExactly("k1", "k2", "k3", "l");
        assertThat(get("l", "k", 0)).isEmpty();

        var limited = store.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).setLimit(2).build());
        assertThat(keys(limited.getKvsList())).containsExactly("k1", "k2");
        assertThat(limited.getMore()).isTrue();
        assertThat(limited.getCount()).isEqualTo(3);

        var byValueDesc = store.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l"))
                .setSortTarget(RangeRequest.SortTarget.VALUE).setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(2).build());
        assertThat(keys(byValueDesc.getKvsList())).containsExactly("k1", "k3");
        assertThat(byValueDesc.getMore()).isTrue();

        var byVersion = store.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l"))
                .setSortTarget(RangeRequest.SortTarget.VERSION).build()); // NONE with non-key target: ascending
        assertThat(keys(byVersion.getKvsList())).containsExactly("k1", "k3", "k2");

        var keysOnly = store.range(RangeRequest.newBuilder().setKey(b("k1")).setKeysOnly(true).build());
        assertThat(keysOnly.getKvs(0).getValue().isEmpty()).isTrue();
        var countOnly = store.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).setCountOnly(true).build());
        assertThat(countOnly.getKvsList()).isEmpty();
        assertThat(countOnly.getCount()).isEqualTo(3);

        var minMod = store.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).setMinModRevision(4).build());
        assertThat(keys(minMod.getKvsList())).containsExactly("k2", "k3");
        assertThat(minMod.getCount()).as("filters do not change count").isEqualTo(3);
        var maxCreate = store.range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).setMaxCreateRevision(3).build());
        assertThat(keys(maxCreate.getKvsList())).containsExactly("k1", "k2");
    }

    @Test
    void putFlagsAndLeases() {
        assertThatThrownBy(() -> store.put(PutRequest.newBuilder().setKey(b("a")).setIgnoreValue(true).build()))
                .hasMessage("etcdserver: key not found");
        assertThatThrownBy(() -> store.put(PutRequest.newBuilder().setKey(b("a")).setLease(99).build()))
                .hasMessage("etcdserver: requested lease not found");
        assertThat(store.leaseGrant(99, 1)).as("raised to the minimum TTL").isEqualTo(2);
        assertThatThrownBy(() -> store.leaseGrant(99, 10)).hasMessage("etcdserver: lease already exists");
        store.put(PutRequest.newBuilder().setKey(b("a")).setValue(b("v")).setLease(99).build());
        store.put(PutRequest.newBuilder().setKey(b("b")).setValue(b("v")).setLease(99).build());
        var prev = store.put(PutRequest.newBuilder().setKey(b("a")).setValue(b("w")).setIgnoreLease(true).setPrevKv(true).build());
        assertThat(prev.getPrevKv().getValue().toStringUtf8()).isEqualTo("v");
        assertThat(get("a", null, 0).get(0).getLease()).isEqualTo(99);
        store.put(PutRequest.newBuilder().setKey(b("b")).setIgnoreValue(true).build());
        assertThat(get("b", null, 0).get(0).getValue().toStringUtf8()).isEqualTo("v");
        assertThat(get("b", null, 0).get(0).getLease()).as("a put without lease detaches").isZero();
        assertThat(store.leaseKeys(99)).containsExactly(b("a"));
        long before = store.currentRevision();
        long after = store.leaseRevoke(99);
        assertThat(after).isEqualTo(before + 1);
        assertThat(get("a", null, 0)).isEmpty();
        assertThat(get("b", null, 0)).hasSize(1);
        assertThatThrownBy(() -> store.leaseRevoke(99)).hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void txnUsesOneRevisionSeesItsOwnWritesAndEvaluatesNestedComparesFirst() {
        put("a", "1");
        TxnRequest nested = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("c")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("d")).setValue(b("n"))))
                .build();
        TxnRequest t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("a")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(b("1")))
                .addCompare(Compare.newBuilder().setKey(b("a")).setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.LESS).setModRevision(3))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("b")).setValue(b("2"))))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("c")).setValue(b("3"))))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b("b"))))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(nested))
                .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("x")).setValue(b("y"))))
                .build();
        TxnResponse r = store.txn(t);
        assertThat(r.getSucceeded()).isTrue();
        assertThat(r.getHeader().getRevision()).isEqualTo(3);
        assertThat(r.getResponses(2).getResponseRange().getKvs(0).getModRevision()).isEqualTo(3);
        assertThat(r.getResponses(3).getResponseTxn().getSucceeded())
                .as("nested compare saw the state before the txn, when c did not exist").isTrue();
        assertThat(get("d", null, 0).get(0).getModRevision()).isEqualTo(3);
        TxnResponse again = store.txn(t);
        assertThat(again.getSucceeded()).isTrue();
        assertThat(again.getHeader().getRevision()).isEqualTo(4);
        assertThat(again.getResponses(3).getResponseTxn().getSucceeded()).as("c exists now").isFalse();
        // compare on a missing key's value always fails; version 0 matches it
        TxnResponse missing = store.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("nope")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.NOT_EQUAL).setValue(b("z"))).build());
        assertThat(missing.getSucceeded()).isFalse();
        assertThat(missing.getHeader().getRevision()).as("read-only txn keeps the revision").isEqualTo(4);
    }

    @Test
    void requestChecksRejectWhatEtcdRejects() {
        assertThat(RequestChecks.put(PutRequest.newBuilder().build())).isEqualTo(KvError.EMPTY_KEY);
        assertThat(RequestChecks.put(PutRequest.newBuilder().setKey(b("a")).setValue(b("v")).setIgnoreValue(true).build()))
                .isEqualTo(KvError.VALUE_PROVIDED);
        TxnRequest.Builder many = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            many.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("k" + i))));
        }
        assertThat(RequestChecks.txn(many.build())).isEqualTo(KvError.TOO_MANY_OPS);
        TxnRequest dup = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("a"))))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("b"))))
                .build();
        assertThat(RequestChecks.txn(dup)).isEqualTo(KvError.DUPLICATE_KEY);
    }

    @Test
    void everyWriteIsPublishedOnceWithPrevKvAndHistoryMatchesTheLog() throws OverrunException {
        EventLog.Cursor<RevisionEvents> cursor = log.newCursor();
        put("a", "1");
        put("a", "2");
        store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")).build());
        List<RevisionEvents> seen = new ArrayList<>();
        for (RevisionEvents e; (e = cursor.poll()) != null; ) {
            seen.add(e);
        }
        assertThat(seen).extracting(RevisionEvents::revision).containsExactly(2L, 3L, 4L);
        Event del = seen.get(2).events().get(0);
        assertThat(del.getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(del.getKv().getModRevision()).isEqualTo(4);
        assertThat(del.getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
        MvccStore.History h = store.history(2, 100);
        assertThat(h.events()).isEqualTo(seen);
        assertThat(h.upTo()).isEqualTo(4);
        assertThat(store.history(3, 1).events()).containsExactly(seen.get(1));
        store.compact(CompactionRequest.newBuilder().setRevision(3).build());
        assertThatThrownBy(() -> store.history(2, 10)).hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(store.history(3, 10).events()).hasSize(2);
    }

    @Test
    void snapshotRestoresAnEquivalentStore() {
        Random rnd = new Random(42);
        store.leaseGrant(7, 30);
        for (int i = 0; i < 2000; i++) {
            String k = "k" + rnd.nextInt(50);
            switch (rnd.nextInt(4)) {
                case 0, 1 -> store.put(PutRequest.newBuilder().setKey(b(k)).setValue(b("v" + i))
                        .setLease(rnd.nextInt(5) == 0 ? 7 : 0).build());
                case 2 -> store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b(k)).setRangeEnd(b(k + "5")).build());
                default -> {
                    if (i % 500 == 499) {
                        store.compact(CompactionRequest.newBuilder().setRevision(store.currentRevision() - 100).build());
                    }
                }
            }
        }
        MvccStore copy = new MvccStore(null, 2);
        copy.restore(store.snapshot());
        assertThat(copy.currentRevision()).isEqualTo(store.currentRevision());
        assertThat(copy.compactRevision()).isEqualTo(store.compactRevision());
        for (long rev = store.compactRevision(); rev <= store.currentRevision(); rev++) {
            RangeRequest all = RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).setRevision(rev).build();
            assertThat(copy.range(all)).isEqualTo(store.range(all));
        }
        assertThat(copy.history(store.compactRevision(), 10_000)).isEqualTo(store.history(store.compactRevision(), 10_000));
        assertThat(copy.leaseKeys(7)).isEqualTo(store.leaseKeys(7));
        assertThat(copy.snapshot()).isEqualTo(store.snapshot());
    }

    @Test
    void aCaptureSerializesTheStoreAsItWasWhileWritesGoOnOnAnotherThread() throws Exception {
        store.leaseGrant(7, 30);
        for (int i = 0; i < 500; i++) {
            store.put(PutRequest.newBuilder().setKey(b("k" + i % 60)).setValue(b("v" + i)).setLease(i % 9 == 0 ? 7 : 0).build());
        }
        store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("k1")).setRangeEnd(b("k2")).build());
        byte[] then = store.snapshot();
        MvccStore.SnapshotCapture capture = store.capture();
        java.util.concurrent.CompletableFuture<byte[]> serialized =
                java.util.concurrent.CompletableFuture.supplyAsync(capture::serialize);
        for (int i = 0; i < 2000; i++) { // new heads, deletes, new keys, a lease revoke: none disturbs the capture
            store.put(PutRequest.newBuilder().setKey(b("k" + i % 80)).setValue(b("w" + i)).build());
            if (i % 100 == 0) {
                store.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("k3")).setRangeEnd(b("k4")).build());
            }
        }
        store.leaseRevoke(7);
        assertThat(serialized.get()).isEqualTo(then);
        assertThat(capture.stillValid()).isTrue();
        assertThat(capture.serialize()).isEqualTo(then);
    }

    @Test
    void aCompactionOrRestoreAfterTheCaptureInvalidatesIt() {
        for (int i = 0; i < 100; i++) {
            put("k" + i % 10, "v" + i);
        }
        MvccStore.SnapshotCapture beforeCompaction = store.capture();
        put("k1", "x");
        assertThat(beforeCompaction.stillValid()).isTrue();
        store.compact(CompactionRequest.newBuilder().setRevision(50).build());
        assertThat(beforeCompaction.stillValid()).isFalse();
        assertThat(store.capture().stillValid()).isTrue();

        MvccStore.SnapshotCapture beforeRestore = store.capture();
        store.restore(new MvccStore(null, 2).snapshot());
        assertThat(beforeRestore.stillValid()).isFalse();
    }
}
