package io.kplane.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.fanout.EventLog;
import org.junit.jupiter.api.Test;

/** HashKV depends on what a revision serves, not on how far compaction has physically progressed. */
class HashKvTest {

    private static MvccStore history(int writes) {
        MvccStore s = new MvccStore(new EventLog<>(64), 2);
        for (int i = 0; i < writes; i++) {
            s.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + (i % 7)))
                    .setValue(ByteString.copyFromUtf8("v" + i)).build());
            if (i % 11 == 0) {
                s.deleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + (i % 5))).build());
            }
        }
        return s;
    }

    @Test
    void equalStatesHashAlikeWhateverTheCompactionProgressAndADifferenceShows() {
        int writes = MvccStore.COMPACTION_BATCH_REVISIONS + 3000;
        MvccStore a = history(writes);
        MvccStore b = history(writes);
        long rev = a.currentRevision();
        assertThat(a.hashKv(0)).isEqualTo(b.hashKv(0));
        a.compact(CompactionRequest.newBuilder().setRevision(rev - 100).build());
        b.compact(CompactionRequest.newBuilder().setRevision(rev - 100).build());
        assertThat(a.compactionBacklog()).as("a slice is left").isPositive();
        while (b.compactionStep(1000) > 0) {
            // b is fully compacted, a is not
        }
        assertThat(a.hashKv(rev - 50)).isEqualTo(b.hashKv(rev - 50));
        assertThat(a.hashKv(0)).isEqualTo(b.hashKv(0));
        MvccStore restored = new MvccStore(new EventLog<>(64), 2);
        restored.restore(a.snapshot());
        assertThat(restored.hashKv(0)).isEqualTo(a.hashKv(0));
        b.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k1")).setValue(ByteString.copyFromUtf8("x")).build());
        a.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k1")).setValue(ByteString.copyFromUtf8("y")).build());
        assertThat(a.hashKv(0)[0]).isNotEqualTo(b.hashKv(0)[0]);
    }
}
