package io.kplane.kv.jcstress;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.fanout.EventLog;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RevisionEvents;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link RevisionEvents} builds its etcd events lazily, on whichever reader thread asks first, and
 * caches them in a volatile field without a lock; two readers may build at once. The contract:
 * each reader gets complete, correct events, whichever build it sees. The state is prepared by
 * the writer (a put, then an overwrite, so the second revision's event carries a prev_kv) before
 * the two readers race on {@code events()} of the same element.
 *
 * <p>r1, r2 = what each reader decoded: value * 100 + prev value (4241), never anything else.
 */
@JCStressTest
@Outcome(id = "4241, 4241", expect = Expect.ACCEPTABLE, desc = "both readers see the complete events")
@Outcome(expect = Expect.FORBIDDEN, desc = "a reader saw a partial or wrong build")
@State
public class RevisionEventsSharingStress {
    private final RevisionEvents shared;

    public RevisionEventsSharingStress() {
        MvccStore store = new MvccStore(new EventLog<>(4), 2);
        store.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("41")).build());
        store.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("42")).build());
        try {
            shared = store.eventLog().newCursor(1).poll();
        } catch (io.kplane.fanout.OverrunException e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void reader1(II_Result r) {
        r.r1 = decode(shared);
    }

    @Actor
    public void reader2(II_Result r) {
        r.r2 = decode(shared);
    }

    private static int decode(RevisionEvents e) {
        var events = e.events();
        if (events.size() != 1 || !events.get(0).hasPrevKv()) {
            return -1;
        }
        return Integer.parseInt(events.get(0).getKv().getValue().toStringUtf8()) * 100
                + Integer.parseInt(events.get(0).getPrevKv().getValue().toStringUtf8());
    }
}
