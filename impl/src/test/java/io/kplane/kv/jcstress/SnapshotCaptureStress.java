package io.kplane.kv.jcstress;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.fanout.EventLog;
import io.kplane.kv.MvccStore;
import java.util.Arrays;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The contract of {@link MvccStore.SnapshotCapture} between the store's owner thread, which goes on
 * applying, and the snapshot thread, which serializes the capture meanwhile; the owner then asks
 * {@code stillValid()}.
 *
 * <p>{@link Writes}: later writes never disturb a capture: the serialized bytes equal the snapshot
 * of the capture's moment and the capture stays valid.
 *
 * <p>{@link Compaction}: a compaction cuts the history chains the capture points at. The capture is
 * then invalid, and its serialization may even FAIL (the size pass counted a chain the write pass
 * found cut: "snapshot size miscounted"). This test pins that such a failure happens, so the owner
 * must treat a failed serialization of an invalid capture as "drop and retake", not as fatal
 * ({@code RaftAgent.finishSnapshot}).
 *
 * <p>r1: 0 = serialized, equal to the snapshot at capture; 1 = serialized, different; 2 = threw.
 * r2: 1 = {@code stillValid()}.
 */
public final class SnapshotCaptureStress {
    private SnapshotCaptureStress() {
    }

    static MvccStore storeWithHistory() {
        MvccStore store = new MvccStore(new EventLog<>(64), 2);
        for (int v = 0; v < 8; v++) {
            for (int k = 0; k < 4; k++) {
                store.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key" + k))
                        .setValue(ByteString.copyFromUtf8("value" + v)).build());
            }
        }
        return store;
    }

    static int serialize(MvccStore.SnapshotCapture capture, byte[] expected) {
        try {
            return Arrays.equals(capture.serialize(), expected) ? 0 : 1;
        } catch (RuntimeException e) {
            return 2;
        }
    }

    @JCStressTest
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the capture is unaffected by later writes")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a write disturbed the capture")
    @State
    public static class Writes {
        private final MvccStore store = storeWithHistory();
        private final MvccStore.SnapshotCapture capture = store.capture();
        private final byte[] expected = store.snapshot();
        private int serialized;

        @Actor
        public void owner() {
            store.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key1"))
                    .setValue(ByteString.copyFromUtf8("later")).build());
        }

        @Actor
        public void snapshotThread() {
            serialized = serialize(capture, expected);
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = serialized;
            r.r2 = capture.stillValid() ? 1 : 0;
        }
    }

    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "serialized before the cut; dropped as invalid")
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "serialized the cut history; dropped as invalid")
    @Outcome(id = "2, 0", expect = Expect.ACCEPTABLE_INTERESTING, desc = "serialization failed on the cut; must be dropped, not fatal")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a compacted capture reported valid")
    @State
    public static class Compaction {
        private final MvccStore store = storeWithHistory();
        private final MvccStore.SnapshotCapture capture = store.capture();
        private final byte[] expected = store.snapshot();
        private int serialized;

        @Actor
        public void owner() {
            store.compact(CompactionRequest.newBuilder().setRevision(store.currentRevision()).build());
        }

        @Actor
        public void snapshotThread() {
            serialized = serialize(capture, expected);
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = serialized;
            r.r2 = capture.stillValid() ? 1 : 0;
        }
    }
}
