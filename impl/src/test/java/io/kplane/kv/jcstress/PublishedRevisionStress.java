package io.kplane.kv.jcstress;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RevisionEvents;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JI_Result;

/**
 * The memory-ordering contract between {@link MvccStore}'s writer (the apply thread) and the
 * readers of its fan-out log (the watch dispatcher): the writer appends a revision's events to
 * the log and only then writes {@code publishedRev} (volatile). So a reader that sees
 * {@code publishedRevision() == 2} and then reads the log finds revision 2 there, with its
 * contents (key and value, built lazily by the reader from what the writer captured).
 *
 * <p>The reverse is allowed and documented: the log may hold revision 2 while the reader still
 * sees {@code publishedRevision() == 1} (the writer is between the two steps). Readers treat the
 * published revision as a lower bound; the watch dispatcher catches a watcher up from history when
 * its stream's cursor is ahead of it.
 *
 * <p>r1 = the published revision seen; r2 = the value of revision 2 read from the log afterwards
 * (-1: not in the log yet).
 */
@JCStressTest
@Outcome(id = "1, -1", expect = Expect.ACCEPTABLE, desc = "nothing written yet")
@Outcome(id = "1, 42", expect = Expect.ACCEPTABLE_INTERESTING, desc = "log ahead of the published revision (lower bound)")
@Outcome(id = "2, 42", expect = Expect.ACCEPTABLE, desc = "published, and found complete in the log")
@Outcome(id = "2, -1", expect = Expect.FORBIDDEN, desc = "revision published before its events")
@Outcome(expect = Expect.FORBIDDEN, desc = "wrong contents")
@State
public class PublishedRevisionStress {
    private static final PutRequest PUT = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
            .setValue(ByteString.copyFromUtf8("42")).build();

    private final MvccStore store = new MvccStore(new EventLog<>(4), 2);

    @Actor
    public void writer() {
        store.put(PUT);
    }

    @Actor
    public void reader(JI_Result r) {
        r.r1 = store.publishedRevision();
        r.r2 = valueOfRevision2(store);
    }

    static int valueOfRevision2(MvccStore store) {
        try {
            RevisionEvents e = store.eventLog().newCursor(0).poll(); // revision 2 is the log's element 0
            if (e == null) {
                return -1;
            }
            if (e.revision() != 2 || e.events().size() != 1 || !e.events().get(0).getKv().getKey().toStringUtf8().equals("k")) {
                return -3;
            }
            return Integer.parseInt(e.events().get(0).getKv().getValue().toStringUtf8());
        } catch (OverrunException | NumberFormatException e) {
            return -2;
        }
    }
}
