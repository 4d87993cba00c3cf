package io.kplane.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.kplane.fanout.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Reads from other threads ({@link MvccStore#rangePublished}) while the owner writes, compacts and
 * restores: every read sees one revision whole (each txn writes a pair of keys with one value, so a
 * read that mixed revisions would see a pair disagree) and never a revision it could not have read.
 */
class PublishedReadsTest {

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void readersOnOtherThreadsSeeWholeRevisionsWhileTheOwnerWritesCompactsAndRestores() throws Exception {
        MvccStore store = new MvccStore(new EventLog<>(1024), 2);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        long[] reads = new long[2];
        for (int t = 0; t < 2; t++) {
            int me = t;
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        RangeResponse r = store.rangePublished(RangeRequest.newBuilder().setKey(b("p/")).setRangeEnd(b("p0")).build());
                        List<KeyValue> kvs = r.getKvsList();
                        assertThat(kvs.size() % 2).as("pairs are whole").isZero();
                        for (int i = 0; i < kvs.size(); i += 2) {
                            assertThat(kvs.get(i + 1).getValue()).isEqualTo(kvs.get(i).getValue());
                            assertThat(kvs.get(i).getModRevision()).isLessThanOrEqualTo(r.getHeader().getRevision());
                        }
                        assertThat(r.getCount()).isEqualTo(kvs.size());
                        reads[me]++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            readers.add(reader);
        }
        byte[] snapshot = null;
        for (int i = 0; i < 20_000 && failure.get() == null; i++) {
            String k = "p/" + (i % 50);
            String v = "v" + i;
            store.txn(TxnRequest.newBuilder()
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b(k + "a")).setValue(b(v))))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b(k + "b")).setValue(b(v))))
                    .build());
            store.compactionStep(MvccStore.COMPACTION_BATCH_REVISIONS);
            if (i % 1000 == 999) {
                store.compact(CompactionRequest.newBuilder().setRevision(store.currentRevision() - 100).build());
            }
            if (i == 5000) {
                snapshot = store.snapshot();
            }
            if (i == 15000) {
                store.restore(snapshot); // back to revision 5002: readers must not see a half-restored index
            }
        }
        done.set(true);
        for (Thread r : readers) {
            r.join(10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertThat(reads[0] + reads[1]).isPositive();
    }

    @Test
    void aLongCompactionIsDoneInStepsAndRefusesOldReadsAtOnce() {
        MvccStore store = new MvccStore(new EventLog<>(1024), 2);
        int writes = MvccStore.COMPACTION_BATCH_REVISIONS * 3;
        for (int i = 0; i < writes; i++) {
            store.put(PutRequest.newBuilder().setKey(b("k" + (i % 10))).setValue(b("v" + i)).build());
        }
        long rev = store.currentRevision();
        store.compact(CompactionRequest.newBuilder().setRevision(rev).build());
        try {
            store.rangePublished(RangeRequest.newBuilder().setKey(b("k1")).setRevision(rev - 5).build());
            throw new AssertionError("read below the compaction revision was served");
        } catch (KvException e) {
            assertThat(e.error()).isEqualTo(KvError.COMPACTED);
        }
        int steps = 0;
        while (store.compactionStep(MvccStore.COMPACTION_BATCH_REVISIONS) > 0) {
            steps++;
        }
        assertThat(steps).as("the rest after the first slice, in slices").isEqualTo(2);
        assertThat(store.rangePublished(RangeRequest.newBuilder().setKey(b("k1")).build()).getKvs(0).getValue())
                .isEqualTo(b("v" + (writes - 9)));
    }
}
